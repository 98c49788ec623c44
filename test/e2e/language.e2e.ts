// The UI follows the OS locale (German here) and can be switched.
import { expect, test } from './bridgeFixture.ts';

test.use({ bridgeLocale: 'de-DE' });

test('a German system gets the German UI; switching to English works', async ({ page, app }) => {
  await app.open();
  await expect(page.getByRole('tab', { name: 'Topologie' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Varianten/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Netzwerk' }).click();
  await expect(page.getByText('Weiterleitung', { exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await app.screenshot('07-german-network-editor');
  await page.getByRole('tab', { name: 'Schichten & Ereignisse' }).click();
  await expect(page.getByText('Zeitleiste des Hosts')).toBeVisible();
  await app.screenshot('08-german-layers');

  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('tab', { name: 'Layers & events' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
