// The story's question answered on first start: the isolated variant is red
// without a click; one edit (forward mode route) turns it green; undo and redo
// move the verdict with the lab.
import { expect, test, type Page } from './bridgeFixture.ts';

const guestTone = (page: Page) => page.getByTestId('topology-guest');

test('first start: the isolated variant is red; forward mode route turns it green; undo and redo follow', async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId('current-variant')).toHaveText('isolated + SuSEfirewall2');
  // No click: the verdicts are computed on opening.
  await expect(guestTone(page)).toHaveAttribute('data-tone', 'bad');
  await expect(page.getByTestId('topology-gateway')).toHaveAttribute('data-tone', 'bad');
  await expect(page.locator('.svelte-flow__edge.tone-bad')).toHaveCount(4);
  await app.screenshot('01-first-start-red');

  await page.getByRole('tab', { name: 'Network' }).click();
  await page.getByTestId('net-mode').selectOption('route');
  await page.getByRole('tab', { name: 'Topology' }).click();
  await expect(guestTone(page)).toHaveAttribute('data-tone', 'ok');
  await expect(page.locator('.svelte-flow__edge.tone-ok')).toHaveCount(4);
  await page.getByTestId('topology-guest').click();
  await expect(page.getByTestId('guest-verdicts').getByTestId('verdict-line').first()).toContainText('ping: reply — accepted by libvirt’s ACCEPT for routed network deb');
  await app.screenshot('03-topology-routed-green');

  await page.getByTestId('undo').click();
  await expect(guestTone(page)).toHaveAttribute('data-tone', 'bad');
  await expect(page.getByTestId('guest-verdicts').getByTestId('verdict-line').first()).toContainText('Destination Port Unreachable from 192.168.10.1 — libvirt’s REJECT for isolated network deb');
  await page.getByTestId('redo').click();
  await expect(guestTone(page)).toHaveAttribute('data-tone', 'ok');

  // The sample's other variants: routed and NAT work.
  await page.getByTestId('variant-item').filter({ hasText: 'NAT' }).click();
  await expect(guestTone(page)).toHaveAttribute('data-tone', 'ok');
});
