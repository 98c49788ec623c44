// Packet Tracer's step-through: from the red guest in the topology to the
// deciding rule with its layer and event, then a proven fix applied as a new
// variant (one undoable step there; the original variant stays as it was).
import { expect, test } from './bridgeFixture.ts';

test('simulation: step through to libvirt’s REJECT, apply a proven fix as a new variant', async ({ page, app }) => {
  await app.open();
  await page.getByTestId('topology-guest').click();
  await page.getByTestId('guest-verdicts').getByTestId('verdict-open').first().click();
  await expect(page.getByRole('tab', { name: 'Simulation' })).toHaveAttribute('aria-selected', 'true');

  const verdict = page.getByTestId('verdict');
  await expect(verdict).toHaveAttribute('data-tone', 'bad');
  await expect(page.getByTestId('verdict-headline')).toHaveText('192.168.10.20 → 192.168.90.1, ping: Destination Port Unreachable from 192.168.10.1 — libvirt’s REJECT for isolated network deb');
  await expect(page.getByTestId('decided-by')).toContainText('libvirt 3.3 · network deb (isolated)');
  await expect(page.getByTestId('decided-event')).toHaveText('SIGHUP to libvirtd from SuSEfirewall2 3.6.312 (boot: SuSEfirewall2.service)');

  // The step-through opens on the deciding step: every rule of FORWARD visited, the REJECT marked.
  const current = page.getByTestId('trace-current');
  await expect(current).toContainText('forward');
  await expect(current.getByTestId('deciding-rule')).toContainText('-A FORWARD -i virbr3 -j REJECT --reject-with icmp-port-unreachable');
  await expect(current.getByTestId('deciding-rule')).toContainText('libvirt 3.3 · network deb (isolated)');
  await expect(current.getByTestId('rules-visited')).toContainText('no: -o virbr3');
  await app.screenshot('11-simulation');
  const position = await page.getByTestId('trace-position').textContent();
  await page.getByTestId('trace-next').click();
  await expect(page.getByTestId('trace-position')).not.toHaveText(position!);
  await expect(page.getByTestId('trace-current')).toContainText('ICMP type 3 code 3');
  await page.getByTestId('trace-prev').click();
  await expect(page.getByTestId('trace-position')).toHaveText(position!);

  // Proven fixes, each re-simulated; apply the first as a new variant.
  const fixes = page.getByTestId('fixes');
  await expect(fixes).toContainText('Switch network deb to forward mode route');
  await expect(fixes).toContainText('✓ 192.168.10.20 → 192.168.90.1, ping: reply');
  await fixes.getByTestId('apply-fix').first().click();
  await expect(page.getByTestId('current-variant')).toHaveText('isolated + SuSEfirewall2 + Switch network deb to forward mode route');
  await expect(page.getByTestId('variant-item')).toHaveCount(5);
  await expect(verdict).toHaveAttribute('data-tone', 'ok');
  await expect(page.getByTestId('undo')).toHaveAttribute('title', /Switch network deb to forward mode route/);
  await app.screenshot('12-simulation-fix-applied');

  // The fix is one step in the new variant: undo brings the REJECT back there.
  await page.getByTestId('undo').click();
  await expect(verdict).toHaveAttribute('data-tone', 'bad');
  // The original variant is untouched.
  await page.getByTestId('variant-item').filter({ hasText: /^isolated \+ SuSEfirewall2$/ }).click();
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('matrix: every cell coloured, the reason of a cell, and from there the step-through', async ({ page, app }) => {
  await app.open();
  await page.getByRole('tab', { name: 'Matrix' }).click();
  const table = page.getByTestId('matrix-table');
  await expect(table.locator('td.cell button')).toHaveCount(16);
  await expect(page.getByTestId('matrix-summary')).toHaveText('3 of 16 flows get through');
  await expect(table.locator('td.cell[data-tone="bad"]')).toHaveCount(13);
  const cell = table.getByRole('button', { name: /kali 192\.168\.10\.20 → gateway.*, icmp:/ });
  await expect(cell).toHaveAttribute('title', /libvirt’s REJECT for isolated network deb/);
  await cell.click();
  await expect(page.getByTestId('matrix-detail')).toContainText('-A FORWARD -i virbr3 -j REJECT');
  await app.screenshot('13-matrix');
  await page.getByTestId('matrix-open').click();
  await expect(page.getByTestId('verdict-headline')).toContainText('libvirt’s REJECT for isolated network deb');

  // An edit recomputes the matrix.
  await page.getByRole('tab', { name: 'Network' }).click();
  await page.getByTestId('net-mode').selectOption('route');
  await page.getByRole('tab', { name: 'Matrix' }).click();
  await expect(page.getByTestId('matrix-summary')).toHaveText('9 of 16 flows get through');
  await expect(table.locator('td.cell[data-tone="ok"]').first()).toBeVisible();
});
