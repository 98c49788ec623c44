// The application menu as a template (File, Edit, View, Help; macOS adds the
// app menu and Window). Pure: Electron's Menu.buildFromTemplate turns it into
// the menu, a unit test checks items and accelerators. Every item sends a
// MenuCommand to the renderer, which runs the same action as its toolbar and
// keyboard shortcut.

import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/contract.ts';
import { menuLabels } from './menuLabels.ts';

export interface MenuContext {
  platform: NodeJS.Platform;
  locale: string;
  recent: string[];
  send(command: MenuCommand): void;
  openRecent(path: string): void;
  clearRecent(): void;
  openExternal(url: string): void;
}

export const LIBVIRT_NETWORK_DOCS = 'https://libvirt.org/formatnetwork.html';

export function appMenuTemplate(ctx: MenuContext): MenuItemConstructorOptions[] {
  const l = menuLabels(ctx.locale);
  const mac = ctx.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => ctx.send(command),
  });
  const recent: MenuItemConstructorOptions[] =
    ctx.recent.length === 0
      ? [{ label: l.noRecent, enabled: false }]
      : [...ctx.recent.map((path) => ({ label: path, click: () => ctx.openRecent(path) })), { type: 'separator' }, { label: l.clearRecent, click: () => ctx.clearRecent() }];

  const file: MenuItemConstructorOptions = {
    label: l.file,
    submenu: [
      item(l.new, 'file.new', 'CmdOrCtrl+N'),
      item(l.open, 'file.open', 'CmdOrCtrl+O'),
      { label: l.openRecent, submenu: recent },
      { type: 'separator' },
      item(l.saveAs, 'file.saveAs', 'CmdOrCtrl+Shift+S'),
      { type: 'separator' },
      {
        label: l.import,
        submenu: [item(l.importNetworkXml, 'file.importNetworkXml', 'CmdOrCtrl+I'), item(l.importSnapshot, 'file.importSnapshot'), item(l.importRuleset, 'file.importRuleset')],
      },
      item(l.export, 'file.export', 'CmdOrCtrl+E'),
      ...(mac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions, { label: l.quit, role: 'quit', accelerator: 'Ctrl+Q' } as MenuItemConstructorOptions]),
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: l.edit,
    submenu: [
      item(l.undo, 'edit.undo', 'CmdOrCtrl+Z'),
      // Redo: Shift+Cmd+Z on macOS, Ctrl+Y on Windows and Linux (platform convention).
      item(l.redo, 'edit.redo', mac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: l.view,
    submenu: [
      item(l.topology, 'view.topology', 'CmdOrCtrl+1'),
      item(l.network, 'view.network', 'CmdOrCtrl+2'),
      item(l.layers, 'view.layers', 'CmdOrCtrl+3'),
      item(l.simulation, 'view.simulation', 'CmdOrCtrl+4'),
      item(l.matrix, 'view.matrix', 'CmdOrCtrl+5'),
      item(l.compare, 'view.compare', 'CmdOrCtrl+6'),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    label: l.help,
    role: 'help',
    submenu: [item(l.about, 'help.about'), { label: l.libvirtDocs, click: () => ctx.openExternal(LIBVIRT_NETWORK_DOCS) }],
  };
  return mac
    ? [{ role: 'appMenu' }, file, edit, view, { label: l.window, role: 'windowMenu' }, help]
    : [file, edit, view, help];
}
