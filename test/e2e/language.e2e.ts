// The UI follows the OS locale (German here) and can be switched.
import { expect, test } from './bridgeFixture.ts';

test.use({ bridgeLocale: 'de-DE' });

test('a German system gets the German UI; switching to English works', async ({ page, app }) => {
  await app.open();
  await expect(page.getByRole('tab', { name: 'Topologie' })).toBeVisible();
  // The verdict in German; what ping prints stays as ping prints it.
  await page.getByTestId('topology-guest').click();
  await expect(page.getByTestId('guest-verdicts').getByTestId('verdict-line').first()).toContainText('Destination Port Unreachable von 192.168.10.1 — REJECT von libvirt für das isolierte Netzwerk deb');
  await app.screenshot('07-german-topology');
  await expect(page.getByRole('button', { name: /Varianten/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Netzwerk' }).click();
  await expect(page.getByText('Weiterleitung', { exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await app.screenshot('07-german-network-editor');
  await page.getByRole('tab', { name: 'Schichten & Ereignisse' }).click();
  await expect(page.getByText('Zeitleiste des Hosts')).toBeVisible();
  await app.screenshot('08-german-layers');
  await page.getByRole('tab', { name: 'Simulation' }).click();
  await page.getByTestId('sim-run').click();
  await expect(page.getByTestId('verdict')).toContainText('Kommt nicht durch');
  await app.screenshot('08-german-simulation');

  await page.getByTestId('language').selectOption('en');
  await expect(page.getByRole('tab', { name: 'Layers & events' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
