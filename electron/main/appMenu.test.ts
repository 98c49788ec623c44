import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/contract.ts';
import { appMenuTemplate, LIBVIRT_NETWORK_DOCS, type MenuContext } from './appMenu.ts';

function context(platform: NodeJS.Platform, recent: string[] = []): MenuContext & { sent: MenuCommand[] } {
  const sent: MenuCommand[] = [];
  return { platform, locale: 'en-US', recent, send: (c) => sent.push(c), openRecent: vi.fn(), clearRecent: vi.fn(), openExternal: vi.fn(), sent };
}

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

const byLabel = (items: MenuItemConstructorOptions[], label: string) => flatten(items).find((i) => i.label?.replace(/&/g, '') === label);
const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as unknown as () => void)();

describe('application menu', () => {
  it('has File, Edit, View and Help with the commands of the issue', () => {
    const ctx = context('linux');
    const menu = appMenuTemplate(ctx);
    expect(menu.map((m) => m.label?.replace(/&/g, ''))).toEqual(['File', 'Edit', 'View', 'Help']);
    for (const [label, command] of [
      ['New Project…', 'file.new'], ['Open Project…', 'file.open'], ['Save As…', 'file.saveAs'], ['libvirt Network XML…', 'file.importNetworkXml'],
      ['Host Snapshot Folder…', 'file.importSnapshot'], ['Firewall Ruleset…', 'file.importRuleset'], ['Export…', 'file.export'], ['Undo', 'edit.undo'],
      ['Redo', 'edit.redo'], ['Topology', 'view.topology'], ['Compare Variants', 'view.compare'], ['About virtwall', 'help.about'],
    ] as const) {
      click(byLabel(menu, label));
      expect(ctx.sent.at(-1), label).toBe(command);
    }
  });

  it('uses the platform conventions for Redo and Quit', () => {
    expect(byLabel(appMenuTemplate(context('linux')), 'Redo')?.accelerator).toBe('Ctrl+Y');
    expect(byLabel(appMenuTemplate(context('win32')), 'Redo')?.accelerator).toBe('Ctrl+Y');
    const mac = appMenuTemplate(context('darwin'));
    expect(byLabel(mac, 'Redo')?.accelerator).toBe('Shift+Cmd+Z');
    expect(mac[0].role).toBe('appMenu');
    expect(byLabel(mac, 'Quit')).toBeUndefined();
    expect(byLabel(appMenuTemplate(context('linux')), 'Undo')?.accelerator).toBe('CmdOrCtrl+Z');
    expect(byLabel(appMenuTemplate(context('linux')), 'Save As…')?.accelerator).toBe('CmdOrCtrl+Shift+S');
  });

  it('lists recent projects and opens them through main', () => {
    const ctx = context('linux', ['/home/a/lab.virtwall', '/home/a/old.virtwall']);
    const menu = appMenuTemplate(ctx);
    click(byLabel(menu, '/home/a/old.virtwall'));
    expect(ctx.openRecent).toHaveBeenCalledWith('/home/a/old.virtwall');
    click(byLabel(menu, 'Clear Recent'));
    expect(ctx.clearRecent).toHaveBeenCalled();
    expect(byLabel(appMenuTemplate(context('linux')), 'No recent projects')?.enabled).toBe(false);
  });

  it('opens the libvirt documentation through the https-only path and speaks German on a German system', () => {
    const ctx = context('linux');
    click(byLabel(appMenuTemplate(ctx), 'libvirt Network XML Format'));
    expect(ctx.openExternal).toHaveBeenCalledWith(LIBVIRT_NETWORK_DOCS);
    const de = appMenuTemplate({ ...context('linux'), locale: 'de-DE' });
    expect(de.map((m) => m.label?.replace(/&/g, ''))).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Hilfe']);
  });
});
