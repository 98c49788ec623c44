// The workspace over an in-memory API: first start, serialized edits on the
// right revision, undo/redo after buffered typing is flushed, errors as notices.
import { describe, expect, it } from 'vitest';
import { FakeAppApi } from '../api/fakeAppApi.testkit.ts';
import { Workspace } from './workspace.svelte.ts';

async function started(options?: ConstructorParameters<typeof FakeAppApi>[0]) {
  const api = new FakeAppApi(options);
  const ws = new Workspace(api);
  await ws.start();
  return { api, ws };
}

describe('Workspace', () => {
  it('opens the sample lab on first start and shows its first variant', async () => {
    const { api, ws } = await started();
    expect(api.calls.map((c) => c.method)).toContain('openSampleProject');
    expect(ws.phase).toBe('project');
    expect(ws.doc?.name).toBe('isolated + SuSEfirewall2');
    expect(ws.networks.map((n) => [n.name, n.mode, n.errors])).toEqual([['deb', 'none', 0]]);
    expect(ws.selectedNetworkId).toBe('net-deb');
  });

  it('shows the welcome screen when it is not the first start and nothing was open', async () => {
    const { ws } = await started({ firstStart: false });
    expect(ws.phase).toBe('welcome');
  });

  it('chains edits so each is made on the revision the previous one returned', async () => {
    const { api, ws } = await started();
    const a = ws.edit('one', [{ op: 'replace', path: '/host/name', value: 'a' }]);
    const b = ws.edit('two', [{ op: 'replace', path: '/host/name', value: 'b' }]);
    expect(await Promise.all([a, b])).toEqual([true, true]);
    expect(api.calls.filter((c) => c.method === 'applyEdit').map((c) => c.args[1])).toEqual([0, 1]);
    expect(ws.doc?.lab.host.name).toBe('b');
    expect(ws.doc?.undoLabel).toBe('two');
  });

  it('turns a refused edit into an error notice that names the change and reloads the variant', async () => {
    const { api, ws } = await started();
    api.variants[0].revision = 7; // someone else wrote meanwhile
    expect(await ws.edit('Rename host', [{ op: 'replace', path: '/host/name', value: 'x' }])).toBe(false);
    expect(ws.notices.items[0].text).toMatch(/The change “Rename host” was not saved: .*revision 0/);
    expect(ws.doc?.revision).toBe(7);
  });

  it('flushes buffered typing before undo, so undo takes back the typing', async () => {
    const { ws } = await started();
    let flushed = false;
    ws.registerFlusher(async () => {
      flushed = true;
      await ws.edit('typed', [{ op: 'replace', path: '/host/name', value: 'typed' }]);
    });
    await ws.undo();
    expect(flushed).toBe(true);
    expect(ws.doc?.lab.host.name).toBe('kvm-host');
    expect(ws.doc?.canRedo).toBe(true);
    await ws.redo();
    expect(ws.doc?.lab.host.name).toBe('typed');
  });
});
