// Edits of the lab's other parts: guests, the KVM host (interfaces, sysctls,
// libvirt and iptables flavour), the upstream gateway (its return routes and
// NAT) and the internet host. Each change is one labelled JSON patch.

import { formatJsonPointer } from '../../../shared/lab/jsonPatch.ts';
import { labIdSource } from '../../../shared/lab/labIds.ts';
import type { Guest } from '../../../shared/lab/labModel.ts';
import { t } from '../i18n/i18n.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

/** Sets one value at a path inside the lab ("add" when the member does not exist yet, "remove" for undefined). */
export function setLabValue(ws: Workspace, label: string, tokens: (string | number)[], value: unknown): Promise<boolean> {
  const lab = ws.lab;
  if (!lab) return Promise.resolve(false);
  let parent: unknown = lab;
  for (const token of tokens.slice(0, -1)) parent = (parent as Record<string | number, unknown>)?.[token];
  const last = tokens[tokens.length - 1];
  const exists = parent !== null && typeof parent === 'object' && Object.hasOwn(parent, last);
  const path = formatJsonPointer(tokens);
  if (value === undefined) return exists ? ws.edit(label, [{ op: 'remove', path }]) : Promise.resolve(false);
  if (exists && JSON.stringify((parent as Record<string | number, unknown>)[last]) === JSON.stringify(value)) return Promise.resolve(false);
  return ws.edit(label, [{ op: exists ? 'replace' : 'add', path, value }]);
}

/** `tcp/22, icmp` → ['tcp/22', 'icmp']; an entry that is not icmp, tcp/PORT or udp/PORT is named in the error. */
export function parseServiceList(text: string): { services: string[]; error: string | null } {
  const services = text.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const valid = (s: string) => s === 'icmp' || (/^(tcp|udp)\/[1-9]\d{0,4}$/.test(s) && Number(s.split('/')[1]) <= 65535);
  const bad = services.find((s) => !valid(s));
  return { services, error: bad ? t('entity.badService', { value: bad }) : null };
}

export async function addGuest(ws: Workspace): Promise<string | null> {
  const lab = ws.lab;
  if (!lab) return null;
  const network = ws.networks[0];
  if (!network) {
    ws.notices.error(t('entity.guestNeedsNetwork'));
    return null;
  }
  const taken = new Set(lab.guests.map((g) => g.name));
  let n = lab.guests.length + 1;
  while (taken.has(`guest${n}`)) n++;
  const guest: Guest = { id: labIdSource(lab)('guest'), name: `guest${n}`, networkId: network.id, listens: ['tcp/22'] };
  const ok = await ws.edit(t('edit.addGuest', { name: guest.name }), [{ op: 'add', path: '/guests/-', value: guest }]);
  return ok ? guest.id : null;
}

export async function removeGuest(ws: Workspace, guestId: string): Promise<void> {
  const index = ws.lab?.guests.findIndex((g) => g.id === guestId) ?? -1;
  if (index < 0) return;
  await ws.edit(t('edit.removeGuest', { name: ws.lab!.guests[index].name }), [{ op: 'remove', path: `/guests/${index}` }]);
}
