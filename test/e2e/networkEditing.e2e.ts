// Editing a network through the form and the XML, with undo and redo that
// survive a restart of the app (they are stored in the project file).
import { expect, test } from './bridgeFixture.ts';

const xmlText = (page: import('@playwright/test').Page) => page.getByTestId('xml-editor');

test('switching the isolated network to routed is one edit; undo and redo work, also after a restart', async ({ page, app }) => {
  await app.open();
  await page.getByRole('tab', { name: 'Network' }).click();
  await expect(page.getByTestId('net-mode')).toHaveValue('none');
  await expect(xmlText(page)).not.toContainText("<forward");

  await page.getByTestId('net-mode').selectOption('route');
  await expect(xmlText(page)).toContainText("<forward mode='route'/>");
  await expect(page.getByTestId('undo')).toBeEnabled();
  await expect(page.getByTestId('undo')).toHaveAttribute('title', /Change forward mode of deb to Routed/);
  await app.screenshot('04-network-routed');

  await page.getByTestId('undo').click();
  await expect(page.getByTestId('net-mode')).toHaveValue('none');
  await expect(xmlText(page)).not.toContainText('<forward');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('net-mode')).toHaveValue('route');

  // Keyboard: Ctrl+Z outside a text field undoes the lab edit (no native menu in the browser).
  await page.getByRole('tab', { name: 'Network' }).focus();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('net-mode')).toHaveValue('none');
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('net-mode')).toHaveValue('route');

  await app.restart();
  await page.getByRole('tab', { name: 'Network' }).click();
  await expect(page.getByTestId('net-mode')).toHaveValue('route');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('net-mode')).toHaveValue('none');
});

test('typing in the XML updates the form; a refused value stays in its field with the reason', async ({ page, app }) => {
  await app.open();
  await page.getByRole('tab', { name: 'Network' }).click();
  const editor = xmlText(page);
  await editor.click();
  // Replace the whole text as a paste would (typing would trigger CodeMirror's tag auto-close).
  const original = (await editor.innerText()).replace(/\u00a0/g, ' ');
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(original.replace("name='virbr3'", "name='virbr7'"));
  await expect(page.locator('#net-bridge-name')).toHaveValue('virbr7');
  // Undo while the editor has focus undoes the typing in the editor (CodeMirror's own history).
  await page.keyboard.press('Control+z');
  await expect(page.locator('#net-bridge-name')).toHaveValue('virbr3');

  await page.locator('#net-mtu').fill('15x0');
  await page.locator('#net-mtu').press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'MTU must be a whole number' })).toBeVisible();
  await expect(page.locator('#net-mtu')).toHaveValue('15x0');
  await page.locator('#net-mtu').fill('9000');
  await page.locator('#net-mtu').press('Enter');
  await expect(editor).toContainText('<mtu size=');
});
