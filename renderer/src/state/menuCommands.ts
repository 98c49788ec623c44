// What each menu command does. The same commands come from the native menu
// (Electron), from keyboard shortcuts when there is no native menu (the
// loopback bridge in a browser), and from the toolbar.

import type { MenuCommand } from '../../../shared/api/contract.ts';
import { importNetworkXml, importRuleset, importSnapshot } from './importActions.ts';
import { newProject, openProjectDialog, saveProjectAs } from './projectActions.ts';
import { textEditing } from './textEditing.ts';
import type { ViewId, Workspace } from './workspace.svelte.ts';

export async function runMenuCommand(ws: Workspace, command: MenuCommand): Promise<void> {
  if (command.startsWith('view.')) {
    ws.view = command.slice('view.'.length) as ViewId;
    return;
  }
  switch (command) {
    case 'file.new':
      return newProject(ws);
    case 'file.open':
      return openProjectDialog(ws);
    case 'file.saveAs':
      return saveProjectAs(ws);
    case 'file.importNetworkXml':
      return importNetworkXml(ws);
    case 'file.importSnapshot':
      return importSnapshot(ws);
    case 'file.importRuleset':
      return importRuleset(ws);
    case 'file.export':
      if (ws.doc) ws.exportOpen = true;
      return;
    case 'edit.undo':
      // In a text field, Undo undoes typing (as everywhere); elsewhere it undoes the last lab edit.
      if (textEditing.undo()) return;
      return ws.undo();
    case 'edit.redo':
      if (textEditing.redo()) return;
      return ws.redo();
    case 'help.about':
      ws.aboutOpen = true;
      return;
    case 'project.opened': {
      const session = await ws.call(() => ws.api.getSession());
      if (session?.project) await ws.show(session.project);
      return;
    }
  }
}

/** Shortcut → command, for when no native menu handles accelerators (platform conventions as in the menu). */
export function shortcutCommand(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, mac: boolean): MenuCommand | null {
  const mod = mac ? event.metaKey : event.ctrlKey;
  if (!mod || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'edit.redo' : 'edit.undo';
  if (key === 'y' && !mac && !event.shiftKey) return 'edit.redo';
  if (event.shiftKey) return key === 's' ? 'file.saveAs' : null;
  const views: Record<string, MenuCommand> = { '1': 'view.topology', '2': 'view.network', '3': 'view.layers', '4': 'view.simulation', '5': 'view.matrix', '6': 'view.compare' };
  if (views[key]) return views[key];
  const file: Record<string, MenuCommand> = { n: 'file.new', o: 'file.open', i: 'file.importNetworkXml', e: 'file.export' };
  return file[key] ?? null;
}
