// Editing the host's timeline: reorder (a boot race is just another order),
// change an event's phase, add and remove events. Each is one labelled edit.

import { formatJsonPointer } from '../../../shared/lab/jsonPatch.ts';
import { labIdSource } from '../../../shared/lab/labIds.ts';
import type { Lab, TimelineEvent, TimelineEventKind } from '../../../shared/lab/labModel.ts';
import { t, type MessageKey } from '../i18n/i18n.svelte.ts';
import type { Workspace } from './workspace.svelte.ts';

export const EVENT_KINDS: readonly TimelineEventKind[] = [
  'libvirtd-start', 'libvirtd-stop', 'libvirtd-restart', 'libvirtd-sighup', 'network-start', 'network-destroy',
  'layer-start', 'layer-reload', 'layer-stop', 'iptables-flush', 'nft-flush-ruleset', 'sysctl-set', 'sysctl-reload',
];

export function needsLayer(kind: TimelineEventKind): boolean {
  return kind.startsWith('layer-');
}

export function needsNetwork(kind: TimelineEventKind): boolean {
  return kind.startsWith('network-');
}

/** The event in words: its own label, else its kind with the layer or network it concerns. */
export function describeEvent(event: TimelineEvent, lab: Lab, networkName: (id: string) => string): string {
  if (event.label) return event.label;
  const kind = t(`event.${event.kind}` as MessageKey);
  if (event.layerId) return `${kind}: ${lab.layers.find((l) => l.id === event.layerId)?.label ?? event.layerId}`;
  if (event.networkId) return `${kind}: ${networkName(event.networkId)}`;
  if (event.kind === 'sysctl-set' && event.params) return `${kind}: ${event.params.key} = ${event.params.value}`;
  return kind;
}

export async function moveEvent(ws: Workspace, from: number, to: number): Promise<void> {
  const lab = ws.lab;
  if (!lab || from === to || to < 0 || to >= lab.events.length) return;
  const event = lab.events[from];
  const name = event.label ?? event.kind;
  await ws.edit(t('edit.moveEvent', { name, position: to + 1 }), [
    { op: 'remove', path: formatJsonPointer(['events', from]) },
    { op: 'add', path: formatJsonPointer(['events', to]), value: event },
  ]);
}

export async function setEventPhase(ws: Workspace, index: number, phase: 'boot' | 'later'): Promise<void> {
  const event = ws.lab?.events[index];
  if (!event || event.phase === phase) return;
  await ws.edit(t('edit.eventPhase', { name: event.label ?? event.kind, phase }), [{ op: 'replace', path: formatJsonPointer(['events', index, 'phase']), value: phase }]);
}

export async function removeEvent(ws: Workspace, index: number): Promise<void> {
  const event = ws.lab?.events[index];
  if (!event) return;
  await ws.edit(t('edit.removeEvent', { name: event.label ?? event.kind }), [{ op: 'remove', path: formatJsonPointer(['events', index]) }]);
}

export async function addEvent(ws: Workspace, kind: TimelineEventKind, target: string | null, phase: 'boot' | 'later'): Promise<void> {
  const lab = ws.lab;
  if (!lab) return;
  const event: TimelineEvent = { id: labIdSource(lab)('event'), kind, phase };
  if (needsLayer(kind) && target) event.layerId = target;
  if (needsNetwork(kind) && target) event.networkId = target;
  // Boot events go after the last boot event, later events at the end.
  const lastBoot = lab.events.reduce((at, e, i) => (e.phase === 'boot' ? i : at), -1);
  const at = phase === 'boot' ? lastBoot + 1 : lab.events.length;
  await ws.edit(t('edit.addEvent', { kind: t(`event.${kind}` as MessageKey) }), [{ op: 'add', path: formatJsonPointer(['events', at]), value: event }]);
}
