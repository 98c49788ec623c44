// Two variants side by side: what differs in the XML (per field and per line),
// in the layers and in the timeline.
import { expect, test } from './bridgeFixture.ts';

test('compares the isolated and the routed SuSEfirewall2 variants', async ({ page, app }) => {
  await app.open();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(page.getByTestId('compare-left')).toHaveValue(/.+/);
  await page.getByTestId('compare-right').selectOption({ label: 'routed + SuSEfirewall2' });
  const summary = page.getByTestId('compare-summary');
  await expect(summary).toContainText('isolated + SuSEfirewall2 ⇄ routed + SuSEfirewall2');
  await expect(summary).toContainText('1 network(s) differ');
  await expect(summary).toContainText('The firewall layers are the same');
  const network = page.getByTestId('compare-network');
  await expect(network).toContainText('Isolated → Routed');
  await expect(network).toContainText('forward.mode');
  await expect(network.locator('.code.added')).toContainText("<forward mode='route'/>");
  await app.screenshot('10-compare');

  // Against the own-script variant the layers and the timeline differ too.
  await page.getByTestId('compare-right').selectOption({ label: 'isolated + own iptables script' });
  await expect(summary).toContainText('The networks are the same');
  await expect(summary).toContainText('The firewall layers differ');
  await expect(summary).toContainText('The timelines differ');
});
