// The layer panel offers the config files a layer kind reads that the layer
// lacks (Docker: the commands file for networks and published ports); adding
// one is one labelled edit with the file's template.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { FakeAppApi } from '../../api/fakeAppApi.testkit.ts';
import { Workspace } from '../../state/workspace.svelte.ts';
import { DOCKER_COMMANDS_PATH, DOCKER_COMMANDS_TEMPLATE } from '../../../../shared/layers/docker/dockerCommandsFile.ts';
import type { Layer } from '../../../../shared/lab/labModel.ts';
import LayerPanel from './LayerPanel.svelte';

afterEach(() => cleanup());

describe('LayerPanel', () => {
  it('a Docker layer without the commands file offers it; the button adds it with the template as one edit', async () => {
    const api = new FakeAppApi();
    const ws = new Workspace(api);
    await ws.start();
    const layer: Layer = { id: 'dk', kind: 'docker', label: 'Docker', files: { '/etc/docker/daemon.json': '{}\n' }, settings: {} };
    await ws.edit('add docker', [{ op: 'add', path: '/layers/-', value: layer }]);
    const lab = ws.lab!;
    render(LayerPanel, { props: { ws, lab, layer: lab.layers.find((l) => l.id === 'dk')! } });
    await fireEvent.click(screen.getByRole('button', { name: `Add ${DOCKER_COMMANDS_PATH}` }));
    await waitFor(() => expect(ws.lab!.layers.find((l) => l.id === 'dk')!.files[DOCKER_COMMANDS_PATH]).toBe(DOCKER_COMMANDS_TEMPLATE));
    const edit = api.calls.filter((c) => c.method === 'applyEdit').at(-1)!.args[2] as { label: string; patch: { op: string; path: string }[] };
    expect(edit.patch).toMatchObject([{ op: 'add', path: expect.stringContaining('/files/~1etc~1docker~1virtwall-commands.sh') }]);
  });
});
