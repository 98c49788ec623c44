// An in-memory AppApi for component and state tests: the sample project's
// variants, edits as JSON patches with revisions and undo/redo stacks, and a
// log of calls. It mirrors the store's observable behaviour (stale revisions
// refused), not its storage.

import type { AppApi, LabEdit, MenuCommand, ProjectInfo, VariantDoc } from '../../../shared/api/contract.ts';
import { applyPatch, type JsonPatchOp } from '../../../shared/lab/jsonPatch.ts';
import type { Lab } from '../../../shared/lab/labModel.ts';
import { sampleProjectVariants, SAMPLE_PROJECT_NAME } from '../../../shared/lab/sampleLab.ts';

interface Variant {
  id: string;
  name: string;
  lab: Lab;
  revision: number;
  undo: { label: string; inverse: JsonPatchOp[]; patch: JsonPatchOp[] }[];
  redo: { label: string; inverse: JsonPatchOp[]; patch: JsonPatchOp[] }[];
}

export class FakeAppApi implements AppApi {
  calls: { method: string; args: unknown[] }[] = [];
  variants: Variant[] = [];
  open = false;
  firstStart = true;
  locale = 'en-US';
  private listeners = new Set<(c: MenuCommand) => void>();

  constructor(options: { firstStart?: boolean; locale?: string } = {}) {
    this.firstStart = options.firstStart ?? true;
    this.locale = options.locale ?? 'en-US';
  }

  private log(method: string, args: unknown[]) {
    this.calls.push({ method, args });
  }

  private info(): ProjectInfo {
    return { path: '/tmp/sample.virtwall', name: SAMPLE_PROJECT_NAME, createdAt: '2024-01-01T00:00:00Z', schemaVersion: 1, appVersion: 'test', variants: this.variants.map((v, i) => ({ id: v.id, name: v.name, position: i, updatedAt: '2024-01-01T00:00:00Z' })) };
  }

  private doc(v: Variant): VariantDoc {
    return { id: v.id, name: v.name, lab: v.lab, revision: v.revision, canUndo: v.undo.length > 0, canRedo: v.redo.length > 0, undoLabel: v.undo.at(-1)?.label, redoLabel: v.redo.at(-1)?.label };
  }

  private find(id: string): Variant {
    const v = this.variants.find((x) => x.id === id);
    if (!v) throw Object.assign(new Error(`there is no variant with id "${id}"`), { code: 'unknown-variant' });
    return v;
  }

  async getAppInfo() {
    this.log('getAppInfo', []);
    return { version: 'test', locale: this.locale, platform: 'linux' };
  }
  async getSession() {
    this.log('getSession', []);
    return { project: this.open ? this.info() : null, recent: this.open ? ['/tmp/sample.virtwall'] : [], firstStart: this.firstStart };
  }
  async openSampleProject() {
    this.log('openSampleProject', []);
    this.variants = sampleProjectVariants().map((v, i) => ({ id: `v${i + 1}`, name: v.name, lab: v.lab, revision: 0, undo: [], redo: [] }));
    this.open = true;
    return this.info();
  }
  async getVariant(id: string) {
    this.log('getVariant', [id]);
    return this.doc(this.find(id));
  }
  async applyEdit(id: string, base: number, edit: LabEdit) {
    this.log('applyEdit', [id, base, edit]);
    const v = this.find(id);
    if (base !== v.revision) throw Object.assign(new Error(`the edit was made on revision ${base}, but the variant is at ${v.revision}`), { code: 'stale-revision' });
    const { doc, inverse } = applyPatch(v.lab, edit.patch);
    v.lab = doc;
    v.revision++;
    v.undo.push({ label: edit.label, inverse, patch: edit.patch });
    v.redo = [];
    return this.doc(v);
  }
  async undo(id: string) {
    this.log('undo', [id]);
    const v = this.find(id);
    const step = v.undo.pop()!;
    v.lab = applyPatch(v.lab, step.inverse).doc;
    v.revision++;
    v.redo.push(step);
    return this.doc(v);
  }
  async redo(id: string) {
    this.log('redo', [id]);
    const v = this.find(id);
    const step = v.redo.pop()!;
    v.lab = applyPatch(v.lab, step.patch).doc;
    v.revision++;
    v.undo.push(step);
    return this.doc(v);
  }
  async createVariant(name: string, from: string | null, lab: Lab | null) {
    this.log('createVariant', [name, from, lab]);
    const source = lab ?? (from ? this.find(from).lab : this.variants[0].lab);
    const v: Variant = { id: `v${this.variants.length + 1}`, name, lab: JSON.parse(JSON.stringify(source)), revision: 0, undo: [], redo: [] };
    this.variants.push(v);
    return this.doc(v);
  }
  async renameVariant(id: string, name: string) {
    this.log('renameVariant', [id, name]);
    this.find(id).name = name;
    return this.info();
  }
  async deleteVariant(id: string) {
    this.log('deleteVariant', [id]);
    this.variants = this.variants.filter((v) => v.id !== id);
    return this.info();
  }
  async showOpenDialog() {
    return null;
  }
  async showSaveDialog() {
    return null;
  }
  onMenuCommand(listener: (c: MenuCommand) => void) {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
  fireMenu(command: MenuCommand) {
    for (const l of this.listeners) l(command);
  }
  newProject = unsupported;
  openProject = unsupported;
  saveProjectAs = unsupported;
  readTextFile = unsupported;
  readSnapshotFolder = unsupported;
  exportVariant = unsupported;
}

async function unsupported(): Promise<never> {
  throw new Error('not supported by FakeAppApi');
}
