// The workbench in a real browser against the real services: first start opens
// the sample lab, variants can be switched, the network editor shows the XML.
import { expect, test } from './bridgeFixture.ts';

test('first start opens the sample lab with its four variants', async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId('current-variant')).toHaveText('isolated + SuSEfirewall2');
  await expect(page.getByTestId('variant-item')).toHaveText(['isolated + SuSEfirewall2', 'routed + SuSEfirewall2', 'isolated + own iptables script', 'NAT']);
  await app.screenshot('01-first-start');
  await page.getByRole('tab', { name: 'Network' }).click();
  await expect(page.getByTestId('net-mode')).toHaveValue('none');
  await app.screenshot('02-network-editor');
});

test('the topology shows the sample lab; a click on the guest shows what its pings meet', async ({ page, app }) => {
  await app.open();
  await expect(page.getByTestId('topology-guest')).toHaveCount(1);
  await expect(page.getByTestId('topology-network')).toContainText('deb');
  await page.getByTestId('topology-guest').click();
  await expect(page.getByTestId('guest-verdicts')).toContainText('kali');
  await expect(page.getByTestId('guest-verdicts').getByTestId('verdict-line')).toHaveCount(2);
  await expect(page.getByTestId('guest-verdicts').getByTestId('verdict-line').nth(1)).toHaveAttribute('data-tone', 'bad');
  await app.screenshot('03-topology');
});

test('menu commands and shortcuts switch views; a bad service is refused at the field', async ({ page, app }) => {
  await app.open();
  await app.menu('view.simulation');
  await expect(page.getByRole('tab', { name: 'Simulation' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('sim-from')).toHaveValue('guest-kali');
  await page.getByTestId('sim-service').fill('tcp/99999');
  await page.getByTestId('sim-run').click();
  await expect(page.getByRole('alert').filter({ hasText: 'tcp/99999' })).toContainText('port 1–65535');
  await page.getByTestId('sim-service').fill('icmp');
  await page.getByTestId('sim-run').click();
  await expect(page.getByTestId('verdict')).toBeVisible();

  await page.getByRole('tab', { name: 'Simulation' }).focus();
  await page.keyboard.press('Control+5');
  await expect(page.getByRole('tab', { name: 'Matrix' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('matrix-table')).toBeVisible();

  await app.menu('help.about');
  await expect(page.getByRole('dialog', { name: 'About virtwall' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('variants: duplicate, rename with F2, delete with confirmation', async ({ page, app }) => {
  await app.open();
  await page.getByRole('button', { name: 'Duplicate the current variant' }).click();
  await expect(page.getByTestId('prompt-input')).toHaveValue('isolated + SuSEfirewall2 (copy)');
  // A taken name is refused at the field; what was typed stays.
  await page.getByTestId('prompt-input').fill('NAT');
  await page.getByTestId('prompt-confirm').click();
  await expect(page.getByText('A variant named “NAT” exists already')).toBeVisible();
  await expect(page.getByTestId('prompt-input')).toHaveValue('NAT');
  await page.getByTestId('prompt-input').fill('experiment');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('current-variant')).toHaveText('experiment');
  await expect(page.getByTestId('variant-item')).toHaveCount(5);

  await page.getByTestId('variant-item').filter({ hasText: 'experiment' }).focus();
  await page.keyboard.press('F2');
  await page.getByTestId('prompt-input').fill('experiment 2');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('current-variant')).toHaveText('experiment 2');

  await page.getByTestId('variant-item').filter({ hasText: 'experiment 2' }).focus();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('dialog', { name: 'Delete variant' })).toContainText('experiment 2');
  await page.getByTestId('prompt-confirm').click();
  await expect(page.getByTestId('variant-item')).toHaveCount(4);
  await expect(page.getByTestId('current-variant')).toHaveText('isolated + SuSEfirewall2');
});

test('guests, the host and the gateway are edited from the topology', async ({ page, app }) => {
  await app.open();
  await page.getByRole('button', { name: '+ Add guest' }).click();
  await expect(page.getByTestId('guest-form')).toContainText('guest2');
  await page.locator('#guest-address').fill('192.168.10.77');
  await page.locator('#guest-address').press('Enter');
  await expect(page.getByTestId('topology-guest')).toHaveCount(2);
  await expect(page.getByTestId('topology-guest').nth(1)).toContainText('192.168.10.77');
  await page.locator('#guest-listens').fill('tcp/22, www');
  await page.locator('#guest-listens').press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '“www” is not icmp' })).toBeVisible();

  await page.getByRole('button', { name: 'kvm-host', exact: true }).click();
  await page.locator('#host-ipfwd').uncheck();
  await expect(page.getByTestId('undo')).toHaveAttribute('title', /Set net.ipv4.ip_forward of kvm-host to 0/);
  await page.getByRole('button', { name: /^gateway / }).click();
  await expect(page.getByTestId('gateway-routes-destination-0')).toHaveValue('192.168.10.0/24');
  await app.screenshot('14-topology-gateway');
});
