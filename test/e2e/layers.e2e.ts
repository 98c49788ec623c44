// The host's timeline: reorder by keyboard (the drag-and-drop alternative), with undo.
import { expect, test } from './bridgeFixture.ts';

test('events reorder with Alt+Down and the order is undoable', async ({ page, app }) => {
  await app.open();
  await page.getByRole('tab', { name: 'Layers & events' }).click();
  const rows = page.getByTestId('timeline').locator('li.event .label');
  await expect(rows.first()).toHaveText('boot: SuSEfirewall2_init.service');
  await expect(page.getByTestId('layer-panel')).toContainText('SuSEfirewall2');
  await app.screenshot('09-layers-and-events');

  await page.locator('[data-event-row="0"]').focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(rows.nth(1)).toHaveText('boot: SuSEfirewall2_init.service');
  await expect(rows.first()).toHaveText('boot: libvirtd.service');
  await page.getByTestId('undo').click();
  await expect(rows.first()).toHaveText('boot: SuSEfirewall2_init.service');
});

test('stepping the timeline: the own-script variant works until libvirtd is reloaded', async ({ page, app }) => {
  await app.open();
  await page.getByTestId('variant-item').filter({ hasText: 'isolated + own iptables script' }).click();
  await page.getByRole('tab', { name: 'Layers & events' }).click();
  // Each event's verdict: green after fw.sh, red again after libvirtd's reload.
  await expect(page.getByTestId('event-verdict')).toHaveCount(4);
  const tones = page.getByTestId('event-verdict');
  await expect(tones.nth(2)).toHaveAttribute('data-tone', 'ok');
  await expect(tones.nth(3)).toHaveAttribute('data-tone', 'bad');
  await expect(tones.nth(3)).toHaveAttribute('title', /libvirt’s REJECT for isolated network deb/);

  // The rules after the reload: libvirt's REJECTs on top again, placed by that event.
  const rules = page.getByTestId('effective-rules');
  await expect(rules.getByTestId('rules-moment')).toContainText('after the whole timeline');
  const forward = rules.getByTestId('hook-chain').filter({ hasText: 'filter · FORWARD' });
  await expect(forward.locator('li').first()).toContainText('logrotate / admin reloads libvirtd');

  // Step back to right after fw.sh: its ACCEPT is on top, the rules say so.
  await page.getByTestId('event-select').nth(2).click();
  await expect(rules.getByTestId('rules-moment')).toContainText('right after event 3');
  await expect(forward.locator('li').first()).toContainText('own iptables script (fw.service)');
  await app.screenshot('09-layers-step-timeline');
});
