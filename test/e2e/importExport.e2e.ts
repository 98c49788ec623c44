// Import the story's network XML (its DHCP range ends outside the subnet) and
// export a variant's bundle to a folder, as a user would with the dialogs.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './bridgeFixture.ts';

const STORY_XML = join(import.meta.dirname, 'fixtures/story-deb.xml');

test("importing the story's XML shows libvirt's DHCP range error at line 9", async ({ page, app }) => {
  await app.open();
  // A fresh variant (the default lab) so the import stands alone.
  await page.getByRole('button', { name: 'New variant (default lab)' }).click();
  await page.getByTestId('prompt-input').fill('story import');
  await page.getByTestId('prompt-confirm').click();
  await expect(page.getByTestId('current-variant')).toHaveText('story import');

  await app.answerDialog(STORY_XML);
  await page.getByRole('button', { name: 'Import XML…' }).click();
  await expect(page.getByRole('heading', { name: 'Network deb' })).toBeVisible();
  const problems = page.getByTestId('xml-problems');
  await expect(problems).toContainText('9:36');
  await expect(problems).toContainText('range 192.168.10.10 - 192.168.50.254 is not entirely within network 192.168.10.1/24');
  // The line itself is marked in the editor, and the field shows the same message.
  await expect(page.locator('.cm-line.cm-problem-error')).toHaveCount(1);
  await expect(page.locator('.cm-line.cm-problem-error')).toContainText("end='192.168.50.254'");
  await expect(page.getByTestId('ip-section-0').getByTestId('field-problems')).toContainText('not entirely within');
  await app.screenshot('05-import-story-xml');

  // Fixing the range in the form clears the error.
  await page.getByTestId('net-ip0-range-end-0').fill('192.168.10.254');
  await page.getByTestId('net-ip0-range-end-0').press('Enter');
  await expect(problems).toContainText('libvirt would define and start this network');
});

test('exports the variant as a bundle to a folder; SHA256SUMS verifies', async ({ page, app }, testInfo) => {
  const stick = testInfo.outputPath('usb-stick');
  mkdirSync(stick, { recursive: true });
  const bundle = join(stick, 'isolated-SuSEfirewall2');
  await app.open();
  await app.answerDialog(stick);
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByTestId('export-choose').click();
  // The bundle goes into a new folder named after the variant inside the picked one.
  await expect(page.getByTestId('export-target')).toHaveValue(bundle);

  // A dry run lists the files and writes nothing.
  await page.getByTestId('export-dry-run').click();
  await expect(page.getByTestId('export-report')).toContainText(`Would write to ${bundle}`);
  await expect(page.getByTestId('export-report')).toContainText('networks/deb.xml');
  expect(readdirSync(stick)).toEqual([]);

  await page.getByTestId('export-run').click();
  const report = page.getByTestId('export-report');
  await expect(report).toContainText(`Written to ${bundle}`);
  for (const file of ['networks/deb.xml', 'apply.sh', 'README.txt', 'MANIFEST', 'SHA256SUMS', 'firewall/iptables-legacy.rules']) await expect(report).toContainText(file);
  await app.screenshot('06-export');
  expect(readdirSync(bundle).sort()).toEqual(expect.arrayContaining(['MANIFEST', 'README.txt', 'SHA256SUMS', 'apply.sh', 'networks']));
  expect(readFileSync(join(bundle, 'networks/deb.xml'), 'utf8')).toContain('<name>deb</name>');
  // Every file is what SHA256SUMS says (coreutils, as the admin checks it on the host).
  const check = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: bundle, encoding: 'utf8' });
  expect(check).toContain('networks/deb.xml: OK');
  expect(check).not.toContain('FAILED');

  // A second export does not replace the folder silently: the error says what to do.
  await page.getByTestId('export-run').click();
  await expect(page.getByRole('alert').filter({ hasText: 'already exists' })).toContainText('allow replacing');
  await expect(page.getByTestId('export-target')).toHaveValue(bundle);

  // An SSH target that is not ssh://user@host[:port]/path is refused with the value named.
  await page.getByTestId('export-target').fill('ssh://-oProxyCommand=x/tmp');
  await page.getByTestId('export-dry-run').click();
  await expect(page.getByRole('alert').filter({ hasText: 'ssh://' })).toContainText('-oProxyCommand=x');
});

test('a host snapshot folder (virtwall collect) becomes a variant "as found"', async ({ page, app }) => {
  await app.open();
  await app.answerDialog(join(import.meta.dirname, '../../shared/snapshot/testdata/isolated-netns'));
  await app.menu('file.importSnapshot');
  await expect(page.getByTestId('current-variant')).toHaveText('as found (isolated-netns)');
  await expect(page.getByTestId('variant-item')).toHaveCount(5);
});
