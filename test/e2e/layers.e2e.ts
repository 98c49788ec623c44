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
