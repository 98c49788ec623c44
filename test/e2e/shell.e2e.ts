// The workbench in a real browser against the real services: first start opens
// the sample lab, variants can be switched, the network editor shows the XML.
import { expect, test } from './bridgeFixture.ts';

test('first start opens the sample lab with its four variants', async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId('current-variant')).toHaveText('isolated + SuSEfirewall2');
  await expect(page.getByTestId('variant-item')).toHaveText(['isolated + SuSEfirewall2', 'routed + SuSEfirewall2', 'isolated + own iptables script', 'NAT']);
  await app.screenshot('01-first-start');
  await page.getByRole('tab', { name: 'Network' }).click();
  await expect(page.getByTestId('net-mode')).toHaveValue('none');
  await app.screenshot('02-network-editor');
});

test('the topology shows the sample lab and says honestly whether verdicts exist', async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId('topology-guest')).toHaveCount(1);
  await expect(page.getByTestId('topology-network')).toContainText('deb');
  await page.getByTestId('topology-guest').click();
  await expect(page.getByTestId('guest-verdicts')).toContainText('kali');
  await app.screenshot('03-topology');
});
