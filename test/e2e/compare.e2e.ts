// Two variants side by side: what differs in the XML (per field and per line),
// in the effective rules (with provenance), in the matrix (only differing
// cells, the reason on both sides), in the layers and in the timeline.
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
  // The simulator's differences: libvirt's ACCEPTs for the routed network, and the cells that change.
  const added = page.getByTestId('rule-diff').filter({ hasText: '-A FORWARD -s 192.168.10.0/24 -i virbr3 -j ACCEPT' });
  await expect(added).toContainText('added');
  await expect(added).toContainText('libvirt 3.3 · network deb (route)');
  const cells = page.getByTestId('matrix-diff');
  await expect(cells).toHaveCount(8);
  const ping = cells.filter({ hasText: 'kali → gateway 192.168.90.1, icmp' });
  await expect(ping).toContainText('✗ Destination Port Unreachable from 192.168.10.1');
  await expect(ping).toContainText('✓ reply');
  await expect(summary).toContainText('8 matrix cell(s) differ');
  await app.screenshot('10-compare');

  // Against the own-script variant the layers and the timeline differ too.
  await page.getByTestId('compare-right').selectOption({ label: 'isolated + own iptables script' });
  await expect(summary).toContainText('The networks are the same');
  await expect(summary).toContainText('The firewall layers differ');
  await expect(summary).toContainText('The timelines differ');
});
