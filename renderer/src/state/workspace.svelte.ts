// The open project and variant, and every change to them. Edits go through
// api.applyEdit as JSON patches (undo/redo survive restarts) and are chained:
// each is made on the revision the previous one returned. Editors that buffer
// typing register a flusher, run before undo, redo and variant switches so
// nothing typed is lost or applied to the wrong variant.

import type { AppApi, AppInfo, JsonPatchOp, ProjectInfo, VariantDoc } from '../../../shared/api/contract.ts';
import { errorCode, errorText } from '../api/appApi.ts';
import { i18n, t } from '../i18n/i18n.svelte.ts';
import { analyseNetworks, type NetworkInfo } from './networkAnalysis.ts';
import { Notices } from './notices.svelte.ts';
import { Prompts } from './prompts.svelte.ts';
import type { LabWorkerClient } from '../simulation/labWorkerClient.ts';
import { TopologyVerdicts } from '../simulation/topologyVerdicts.svelte.ts';
import { FlowRunner } from '../simulation/flowRunner.svelte.ts';
import { MatrixRun } from '../simulation/matrixRun.svelte.ts';
import type { FlowRequest } from '../simulation/verdictView.ts';

export type ViewId = 'topology' | 'network' | 'layers' | 'simulation' | 'matrix' | 'compare';
export const VIEWS: readonly ViewId[] = ['topology', 'network', 'layers', 'simulation', 'matrix', 'compare'];

export class Workspace {
  appInfo = $state.raw<AppInfo | null>(null);
  project = $state.raw<ProjectInfo | null>(null);
  recent = $state.raw<string[]>([]);
  doc = $state.raw<VariantDoc | null>(null);
  phase = $state<'starting' | 'welcome' | 'project'>('starting');
  view = $state<ViewId>('topology');
  selectedNetworkId = $state<string | null>(null);
  selectedLayerId = $state<string | null>(null);
  /** The guest the simulation view starts from (clicked in the topology or the sidebar). */
  simulationSource = $state<string | null>(null);
  /** The flow the simulation view explains; re-run on every revision of the variant. */
  simulationRequest = $state.raw<FlowRequest | null>(null);
  /** API calls in flight (the status bar shows activity). */
  pending = $state(0);
  aboutOpen = $state(false);
  exportOpen = $state(false);

  readonly notices = new Notices();
  readonly prompts = new Prompts();
  readonly topologyVerdicts: TopologyVerdicts;
  readonly flowRunner: FlowRunner;
  readonly matrixRun: MatrixRun;
  lab = $derived(this.doc?.lab ?? null);
  networks: NetworkInfo[] = $derived(analyseNetworks(this.doc?.lab ?? null));

  private editChain: Promise<unknown> = Promise.resolve();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, nothing renders from it
  private readonly flushers = new Set<() => Promise<void> | void>();

  constructor(
    readonly api: AppApi,
    /** The lab worker (simulation off the UI thread); null where Workers do not exist (jsdom tests). */
    readonly worker: LabWorkerClient | null = null,
  ) {
    this.topologyVerdicts = new TopologyVerdicts(worker);
    this.flowRunner = new FlowRunner(worker);
    this.matrixRun = new MatrixRun(worker);
  }

  /** Opens the simulation view on one flow (a topology verdict, a matrix cell, the picker). */
  simulate(request: FlowRequest): void {
    this.simulationSource = request.from;
    this.simulationRequest = request;
    this.view = 'simulation';
  }

  async start(): Promise<void> {
    const info = await this.call(() => this.api.getAppInfo());
    if (info) {
      this.appInfo = info;
      i18n.init(info.locale);
    }
    const session = await this.call(() => this.api.getSession());
    this.recent = session?.recent ?? [];
    if (session?.project) return this.show(session.project);
    if (session?.firstStart) {
      const sample = await this.call(() => this.api.openSampleProject());
      if (sample) return this.show(sample);
    } else if (session?.recent[0]) {
      const last = await this.call(() => this.api.openProject(session.recent[0]), t('error.openLast'));
      if (last) return this.show(last);
    }
    this.phase = 'welcome';
  }

  /** Shows an opened project: its first variant, or `variantId` when given. */
  async show(info: ProjectInfo, variantId?: string): Promise<void> {
    this.project = info;
    const id = variantId ?? info.variants[0]?.id;
    const doc = id ? await this.call(() => this.api.getVariant(id)) : null;
    this.setDoc(doc ?? null);
    this.phase = 'project';
    const session = await this.call(() => this.api.getSession());
    if (session) this.recent = session.recent;
  }

  async selectVariant(variantId: string): Promise<void> {
    if (this.doc?.id === variantId) return;
    await this.flush();
    const doc = await this.call(() => this.api.getVariant(variantId));
    if (doc) this.setDoc(doc);
  }

  /** One labelled edit of the current variant ("Change forward mode of deb to route"). */
  edit(label: string, patch: JsonPatchOp[]): Promise<boolean> {
    const run = this.editChain.then(async () => {
      const doc = this.doc;
      if (!doc || patch.length === 0) return false;
      try {
        this.pending++;
        this.setDoc(await this.api.applyEdit(doc.id, doc.revision, { label, patch }));
        return true;
      } catch (err) {
        this.notices.error(t('error.editFailed', { label, reason: errorText(err) }), t('error.editFailedHint'));
        if (errorCode(err) === 'stale-revision') await this.reloadVariant();
        return false;
      } finally {
        this.pending--;
      }
    });
    this.editChain = run.catch(() => false);
    return run;
  }

  async undo(): Promise<void> {
    await this.step('undo');
  }

  async redo(): Promise<void> {
    await this.step('redo');
  }

  registerFlusher(flush: () => Promise<void> | void): () => void {
    this.flushers.add(flush);
    return () => this.flushers.delete(flush);
  }

  /** Commits what editors still buffer, then waits for every queued edit. */
  async flush(): Promise<void> {
    for (const flush of [...this.flushers]) await flush();
    await this.editChain;
  }

  async refreshProject(): Promise<void> {
    const session = await this.call(() => this.api.getSession());
    if (session?.project) this.project = session.project;
    if (session) this.recent = session.recent;
  }

  async reloadVariant(): Promise<void> {
    const id = this.doc?.id;
    if (!id) return;
    const doc = await this.call(() => this.api.getVariant(id));
    if (doc) this.setDoc(doc);
  }

  setDoc(doc: VariantDoc | null): void {
    this.doc = doc;
    const lab = doc?.lab;
    if (lab && !lab.networks.some((n) => n.id === this.selectedNetworkId)) this.selectedNetworkId = lab.networks[0]?.id ?? null;
    if (lab && !lab.layers.some((l) => l.id === this.selectedLayerId)) this.selectedLayerId = lab.layers[0]?.id ?? null;
  }

  /** Runs an API call; a failure becomes an error notice (with `context` in front) and undefined. */
  async call<T>(fn: () => Promise<T>, context?: string): Promise<T | undefined> {
    this.pending++;
    try {
      return await fn();
    } catch (err) {
      this.notices.error(context ? `${context}: ${errorText(err)}` : errorText(err));
      return undefined;
    } finally {
      this.pending--;
    }
  }

  private async step(kind: 'undo' | 'redo'): Promise<void> {
    await this.flush();
    const run = this.editChain.then(async () => {
      const doc = this.doc;
      if (!doc || !(kind === 'undo' ? doc.canUndo : doc.canRedo)) return;
      const next = await this.call(() => (kind === 'undo' ? this.api.undo(doc.id) : this.api.redo(doc.id)));
      if (next) this.setDoc(next);
    });
    this.editChain = run.catch(() => undefined);
    await run;
  }
}
