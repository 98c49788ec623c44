// The network editor in jsdom over the in-memory API: the form shows the
// network's fields, a form change becomes one labelled edit of the XML text,
// and libvirt's problems appear at the field and in the list with their line.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { FakeAppApi } from '../../api/fakeAppApi.testkit.ts';
import { Workspace } from '../../state/workspace.svelte.ts';
import NetworkEditor from './NetworkEditor.svelte';

afterEach(() => cleanup());

async function setup() {
  const api = new FakeAppApi();
  const ws = new Workspace(api);
  await ws.start();
  render(NetworkEditor, { props: { ws } });
  return { api, ws };
}

describe('NetworkEditor', () => {
  it('shows the network’s fields with virt-manager’s labels', async () => {
    await setup();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('deb');
    expect((screen.getByLabelText('Mode') as HTMLSelectElement).value).toBe('none');
    expect((screen.getByLabelText('Bridge name') as HTMLInputElement).value).toBe('virbr3');
    expect(screen.getByText(/libvirt would define and start this network/)).toBeTruthy();
  });

  it('switching the mode to Routed writes <forward mode=route/> into the XML as one labelled edit', async () => {
    const { api, ws } = await setup();
    await fireEvent.change(screen.getByLabelText('Mode'), { target: { value: 'route' } });
    await waitFor(() => expect(ws.doc?.revision).toBe(1));
    const edit = api.calls.find((c) => c.method === 'applyEdit')!.args[2] as { label: string; patch: { path: string; value: string }[] };
    expect(edit.label).toBe('Change forward mode of deb to Routed');
    expect(edit.patch).toHaveLength(1);
    expect(edit.patch[0].path).toBe('/networks/0/xml');
    // Only the forward element is added; the rest of the text is unchanged.
    expect(edit.patch[0].value).toBe(ws.lab!.networks[0].xml);
    expect(edit.patch[0].value.replace("  <forward mode='route'/>\n", '')).toBe(api.variants[0].undo[0].inverse[0] && (api.variants[0].undo[0].inverse[0] as { value: string }).value);
  });

  it('a DHCP range outside the subnet is reported at the range field and with its line', async () => {
    const { ws } = await setup();
    const end = screen.getByLabelText('DHCP ranges: End 1') as HTMLInputElement;
    await fireEvent.change(end, { target: { value: '192.168.50.254' } });
    await waitFor(() => expect(ws.networks[0].errors).toBe(1));
    const message = 'range 192.168.10.10 - 192.168.50.254 is not entirely within network 192.168.10.1/24';
    await waitFor(() => expect(screen.getAllByText((t) => t.includes(message)).length).toBeGreaterThanOrEqual(2));
    expect(ws.networks[0].problems[0]).toMatchObject({ line: 9, path: 'ip/dhcp/range' });
  });

  it('keeps a refused MTU in the field with the reason and does not edit', async () => {
    const { api } = await setup();
    const mtu = screen.getByLabelText('MTU') as HTMLInputElement;
    await fireEvent.change(mtu, { target: { value: 'big' } });
    expect(screen.getByRole('alert').textContent).toContain('MTU must be a whole number; “big” was not saved.');
    expect(mtu.value).toBe('big');
    expect(api.calls.some((c) => c.method === 'applyEdit')).toBe(false);
  });
});
