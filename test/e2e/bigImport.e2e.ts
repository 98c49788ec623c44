// A big firewall dump (10,000 rules) imported as a layer: the import is one
// undoable edit and the file is checked in the lab worker, not on the UI thread.
import { writeFileSync } from 'node:fs';
import { expect, test } from './bridgeFixture.ts';

function bigDump(rules: number): string {
  const lines = ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (let i = 0; i < rules; i++) lines.push(`-A INPUT -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m tcp --dport ${1 + (i % 65000)} -j ACCEPT`);
  // One broken rule deep inside: the worker's check must find it with its line.
  lines[5004] = '-A INPUT -p tcp --dport 99999 -j ACCEPT';
  lines.push('COMMIT', '');
  return lines.join('\n');
}

test('imports a 10,000-rule iptables-save dump as a layer, checked off the UI thread', async ({ page, app }, testInfo) => {
  const file = testInfo.outputPath('iptables-save.txt');
  writeFileSync(file, bigDump(10_000));
  await app.open();
  await app.answerDialog(file);
  await app.menu('file.importRuleset');
  const panel = page.getByTestId('layer-panel');
  await expect(panel).toContainText('imported ruleset iptables-save.txt');
  // The worker answers; meanwhile the UI stays usable.
  await page.getByRole('tab', { name: 'Topology' }).click();
  await page.getByRole('tab', { name: 'Layers & events' }).click();
  await expect(page.getByText('Checking the files…')).toHaveCount(0, { timeout: 20_000 });
  await expect(panel.locator('.problems li')).toHaveCount(1);
  await expect(panel.locator('.problems li')).toContainText('5005:');
  await expect(panel.locator('.problems li')).toContainText('99999');
  await expect(page.getByTestId('timeline')).toContainText('boot: ruleset as found (iptables-save.txt)');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('timeline')).not.toContainText('iptables-save.txt');
});
