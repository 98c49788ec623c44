// The host while its timeline is folded: kernel state, sysctls, libvirtd and
// its networks, which layers run, and per-event results and notes. It is the
// replay target of the layer drivers and the host libvirt's model acts on, so
// every command of every tool lands on the same state in the order the events
// say, stamped with the event that caused it. Nothing throws: a refused
// command becomes a failure of the event with the tool's wording.

import type { Lab, Layer, TimelineEvent } from '../../lab/labModel.ts';
import type { Family, IptRuleset, NftRuleset, Provenance } from '../../netfilter/model.ts';
import { applyIptCommand, type IptCommand } from '../../netfilter/iptables/iptCommand.ts';
import { applyNftCommand, newNftHandleState, type NftCommand } from '../../netfilter/nft/nftCommand.ts';
import { cloneNetfilterState, emptyNetfilterState, nftCheckpoint, type NetfilterState } from '../../netfilter/netfilterState.ts';
import type { NoteSeverity } from '../layerActions.ts';
import type { ReplayTarget } from '../layerActionReplay.ts';
import { recordPolicyProvenance } from '../netfilterStateTarget.ts';
import { LibvirtDaemon, type ReloadOrder, type RunningNetwork } from '../libvirt/libvirtDaemon.ts';
import type { LibvirtCause, LibvirtHostPort } from '../libvirt/libvirtHostPort.ts';
import type { LibvirtCommand } from '../libvirt/libvirtCommand.ts';
import { labNetworks, type LabNetworkInfo } from '../libvirt/labNetworks.ts';
import type { EventResult, FoldNote, ReloadAlternatives } from './effectiveHost.ts';
import { bootSysctls, SysctlTable } from './hostSysctls.ts';
import type { LibvirtdSignal } from './layerDriver.ts';

export interface FoldOptions {
  /** Fold up to and including this event. */
  uptoEventId?: string;
  /**
   * The order in which a libvirt reload walks its active networks (the real order is libvirtd's
   * hash-table order, not fixed): 'start' (default, keeps the start-order layout), 'reverse', or per event.
   */
  reloadOrder?: 'start' | 'reverse' | ((event: TimelineEvent, networkIds: string[]) => string[]);
  /** Try the other reload orders and report outcomes that differ (default true). */
  alternatives?: boolean;
  /** Keep each alternative's kernel state in the result (tests, compare view). */
  keepAlternativeStates?: boolean;
  /** Record every command libvirtd ran (text and error), in order. */
  libvirtLog?: { text: string; error: string | null; eventId: string }[];
}

interface Current {
  event: TimelineEvent;
  cause: LibvirtCause;
  result: EventResult;
}

export class HostTimeline implements ReplayTarget {
  state: NetfilterState = emptyNetfilterState();
  sysctls: SysctlTable;
  daemon: LibvirtDaemon;
  readonly networks: LabNetworkInfo[];
  readonly runningLayers = new Set<string>();
  readonly results: EventResult[] = [];
  readonly notes: FoldNote[] = [];
  readonly reloadAlternatives: ReloadAlternatives[] = [];
  /** Orders of the reloads done during the current event (network ids). */
  reloadsThisEvent: string[][] = [];
  /** Set while trying an alternative: the reload order to use, by network id. */
  forcedOrder: string[] | null = null;
  current: Current | null = null;
  /** libvirt autostarts networks once per host boot, not at every daemon start. */
  autostartDone = false;
  readonly libvirtPort: LibvirtHostPort;

  constructor(
    readonly lab: Lab,
    readonly options: FoldOptions = {},
  ) {
    this.sysctls = new SysctlTable(bootSysctls(lab.host.sysctls));
    this.networks = labNetworks(lab);
    this.libvirtPort = this.makeLibvirtPort();
    this.daemon = new LibvirtDaemon(this.libvirtPort, lab.host.libvirt.version, lab.host.libvirt.backend);
  }

  get flavour(): 'legacy' | 'nft' {
    return this.lab.host.iptablesBackend;
  }

  /** A copy to try another course of the same event (results and notes start empty). */
  clone(): HostTimeline {
    const c = new HostTimeline(this.lab, { ...this.options, alternatives: false, libvirtLog: undefined });
    c.state = cloneNetfilterState(this.state);
    c.sysctls = this.sysctls.clone();
    c.daemon = this.daemon.clone(c.libvirtPort);
    for (const id of this.runningLayers) c.runningLayers.add(id);
    c.autostartDone = this.autostartDone;
    return c;
  }

  stamp(p: Provenance): Provenance {
    if (!this.current) return p;
    return { ...p, event: p.event || this.current.cause.event, eventId: p.eventId || this.current.cause.eventId };
  }

  fail(message: string): void {
    if (this.current) {
      this.current.result.ok = false;
      this.current.result.errors.push(message);
    }
  }

  /** Errors fail the current event (they are listed in its result, not again as notes). */
  note(severity: NoteSeverity, text: string): void {
    if (severity === 'error' && this.current) {
      this.fail(text);
      return;
    }
    const n: FoldNote = { severity, text };
    if (this.current) n.eventId = this.current.event.id;
    this.notes.push(n);
  }

  // ---- ReplayTarget (layer drivers)

  ipt(family: Family, command: IptCommand, provenance: Provenance, backend?: 'legacy' | 'nft'): string | null {
    const ruleset = this.state.iptables[backend ?? this.flavour][family];
    try {
      const p = this.stamp(provenance);
      applyIptCommand(ruleset, command, p);
      recordPolicyProvenance(ruleset, command, p);
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  nft(command: NftCommand, provenance: Provenance): string | null {
    return this.nftWithHandle(command, provenance).error;
  }

  nftWithHandle(command: NftCommand, provenance: Provenance): { error: string | null; handle?: number } {
    try {
      const handle = applyNftCommand(this.state.nft, this.state.nftHandles, command, this.stamp(provenance));
      return handle === undefined ? { error: null } : { error: null, handle };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }

  nftCheckpoint(): () => void {
    return nftCheckpoint(this.state);
  }

  replaceIpt(family: Family, ruleset: IptRuleset, provenance: Provenance, backend?: 'legacy' | 'nft'): void {
    const b = backend ?? this.flavour;
    const p = this.stamp(provenance);
    const tables = ruleset.tables.map((t) => ({ ...t, chains: t.chains.map((c) => ({ ...c, ...(c.policy ? { policyProvenance: p } : {}), rules: c.rules.map((r) => ({ ...r, provenance: { ...p, ...r.provenance } })) })) }));
    this.state.iptables[b][family] = { ...ruleset, family, backend: b, tables };
  }

  replaceNft(ruleset: NftRuleset, provenance: Provenance): void {
    const p = this.stamp(provenance);
    for (const t of ruleset.tables) {
      for (const c of t.chains) {
        if (c.base) c.policyProvenance = p;
        for (const r of c.rules) r.provenance = { ...p, ...r.provenance };
      }
    }
    this.state.nft = ruleset;
    this.state.nftHandles = newNftHandleState(ruleset);
  }

  sysctl(key: string, value: string, provenance: Provenance): void {
    this.sysctls.set(key, value, this.stamp(provenance));
  }

  signal(signal: LibvirtdSignal, provenance: Provenance): void {
    const what = signal === 'sighup' ? 'SIGHUP to libvirtd' : "firewalld's Reloaded signal to libvirtd";
    const from = provenance.layerLabel ?? provenance.layer ?? 'a layer';
    const cause: LibvirtCause = { event: `${what} from ${from}${this.current ? ` (${this.current.cause.event})` : ''}` };
    if (this.current) cause.eventId = this.current.event.id;
    this.reloadLibvirt(cause, signal === 'firewalld-reloaded');
  }

  // ---- libvirt

  reloadOrderFor(): ReloadOrder {
    return (running: readonly RunningNetwork[]) => {
      const ids = running.map((n) => n.id);
      let order = ids;
      const o = this.options.reloadOrder;
      if (this.forcedOrder) order = this.forcedOrder.filter((id) => ids.includes(id));
      else if (o === 'reverse') order = [...ids].reverse();
      else if (typeof o === 'function' && this.current) order = o(this.current.event, ids).filter((id) => ids.includes(id));
      const missing = ids.filter((id) => !order.includes(id));
      const walk = [...order, ...missing].map((id) => running.find((n) => n.id === id) as RunningNetwork);
      if (walk.length > 0) this.reloadsThisEvent.push(walk.map((n) => n.id));
      return walk;
    };
  }

  reloadLibvirt(cause: LibvirtCause, force: boolean): void {
    this.daemon.reload(cause, force, this.reloadOrderFor());
  }

  interfaces(): string[] {
    const up = this.lab.host.interfaces.filter((i) => i.up).map((i) => i.name);
    const bridges = this.daemon.running.filter((n) => n.facts.mode === 'none' || n.facts.mode === 'nat' || n.facts.mode === 'route' || n.facts.mode === 'open').map((n) => n.bridge);
    return [...up, ...bridges.filter((b) => !up.includes(b))];
  }

  layerById(id: string | undefined): Layer | undefined {
    return this.lab.layers.find((l) => l.id === id);
  }

  private makeLibvirtPort(): LibvirtHostPort {
    return {
      iptRuleset: (family) => this.state.iptables[this.flavour][family],
      nftRuleset: () => this.state.nft,
      runIpt: (family, command, provenance) => this.ipt(family, command, provenance),
      runNft: (command, provenance) => this.nftWithHandle(command, provenance),
      setSysctl: (key, value, provenance) => this.sysctl(key, value, provenance),
      note: (severity, text) => this.note(severity, text),
      fail: (message) => this.fail(message),
      executed: (command: LibvirtCommand, error) => this.options.libvirtLog?.push({ text: command.text, error, eventId: this.current?.event.id ?? '' }),
    };
  }
}
