// A form edit of one network: the model is changed and written back into the
// network's XML text (writeNetworkXml splices only what changed; comments,
// unknown elements and formatting stay), then committed as one labelled lab
// edit. Buffered XML typing is committed first so the form never edits a
// stale text.

import { cloneJson } from '../../../shared/json/cloneJson.ts';
import type { Network } from '../../../shared/libvirt/networkModel.ts';
import type { NetworkProblem } from '../../../shared/libvirt/networkProblem.ts';
import { writeNetworkXml } from '../../../shared/libvirt/writeNetworkXml.ts';
import type { Workspace } from './workspace.svelte.ts';

export async function commitNetwork(ws: Workspace, networkId: string, label: string, mutate: (network: Network) => void): Promise<boolean> {
  await ws.flush();
  const info = ws.networks.find((n) => n.id === networkId);
  if (!info?.network) return false;
  const next = cloneJson(info.network);
  mutate(next);
  const xml = writeNetworkXml(next, info.parsed.document);
  if (xml === info.xml) return false;
  return ws.edit(label, [{ op: 'replace', path: `/networks/${info.index}/xml`, value: xml }]);
}

/** Problems whose element path is one of `paths` (exact, or below it with a trailing '/'). */
export function problemsAt(problems: readonly NetworkProblem[], paths: readonly string[]): NetworkProblem[] {
  return problems.filter((p) => p.path !== undefined && paths.some((path) => (path.endsWith('/') ? p.path!.startsWith(path) : p.path === path)));
}

/** Drops empty optional strings so the XML does not get `attr=''`. */
export function optional(value: string): string | undefined {
  const v = value.trim();
  return v === '' ? undefined : v;
}
