// Import the story's network XML (its DHCP range ends outside the subnet) and
// export a variant's network XML to a folder, as a user would with the dialogs.
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

test('exports the network XML of a variant to a folder', async ({ page, app }, testInfo) => {
  const folder = testInfo.outputPath('usb-stick');
  mkdirSync(folder, { recursive: true });
  await app.open();
  await app.answerDialog(folder);
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByTestId('export-choose').click();
  await expect(page.getByTestId('export-target')).toHaveValue(folder);
  await page.getByTestId('export-run').click();
  await expect(page.getByTestId('export-report')).toContainText('deb.xml');
  await app.screenshot('06-export');
  expect(readdirSync(folder)).toEqual(['deb.xml']);
  expect(readFileSync(join(folder, 'deb.xml'), 'utf8')).toContain('<name>deb</name>');

  // A second export does not replace the file silently: the error says what to do.
  await page.getByTestId('export-run').click();
  await expect(page.getByRole('alert').filter({ hasText: 'already exists' })).toContainText('allow replacing');
});
