// AppApi over the real services: the project store, the settings file, the
// files the user picks and the export writer. Electron-free, so main's IPC
// handlers and the loopback bridge of the end-to-end tests run this same code.
// Dialogs come injected (native in Electron, queued answers in the bridge).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, ExportReport, ExportRequest, FileDialogOptions, LabEdit, ProjectInfo, SessionState, VariantDoc } from '../../../../shared/api/contract.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { sampleProjectVariants, SAMPLE_PROJECT_NAME } from '../../../../shared/lab/sampleLab.ts';
import type { ProjectStore } from '../store/projectStore.ts';
import type { BackendApi, BackendDialogs, VariantExporter } from './backendTypes.ts';
import { readSnapshotFolder, readTextFile } from './importFiles.ts';
import { exportVariantBundle } from '../exportWriter/exportVariantBundle.ts';
import { SessionSettings } from './sessionSettings.ts';

export const SAMPLE_FILE_NAME = 'KVM lab sample.virtwall';

export interface AppBackendOptions {
  store: ProjectStore;
  settings: SessionSettings;
  /** Where the sample project is written on first start. */
  userDataDir: string;
  dialogs: BackendDialogs;
  appInfo: AppInfo;
  exporter?: VariantExporter;
  /** Told after every change of the open project or the recent list (main rebuilds Open Recent). */
  onSessionChanged?: (session: SessionState) => void;
}

export class AppBackend implements BackendApi {
  private readonly exporter: VariantExporter;

  constructor(private readonly options: AppBackendOptions) {
    // The export bundle (networks, effective firewall, sysctls, routes, apply.sh) to a folder or over SSH.
    this.exporter = options.exporter ?? ((variant, request) => exportVariantBundle(variant, request, { projectName: this.options.store.info().name }));
  }

  get store(): ProjectStore {
    return this.options.store;
  }

  async getAppInfo(): Promise<AppInfo> {
    return { ...this.options.appInfo };
  }

  async getSession(): Promise<SessionState> {
    return this.session();
  }

  async newProject(path: string, name: string): Promise<ProjectInfo> {
    return this.opened(this.options.store.create(path, name));
  }

  async openProject(path: string): Promise<ProjectInfo> {
    try {
      return this.opened(this.options.store.open(path));
    } catch (err) {
      // A recent entry that no longer exists should not stay in the menu.
      if (!existsSync(path)) this.options.settings.removeRecent(path);
      throw err;
    }
  }

  async openSampleProject(): Promise<ProjectInfo> {
    const path = join(this.options.userDataDir, SAMPLE_FILE_NAME);
    if (existsSync(path)) {
      try {
        return this.opened(this.options.store.open(path));
      } catch {
        // A damaged sample is rewritten below; it holds nothing the user made elsewhere.
      }
    }
    return this.opened(this.options.store.create(path, SAMPLE_PROJECT_NAME, { variants: sampleProjectVariants(), overwrite: true }));
  }

  async saveProjectAs(path: string): Promise<ProjectInfo> {
    return this.opened(this.options.store.saveAs(path));
  }

  async getVariant(variantId: string): Promise<VariantDoc> {
    return this.options.store.getVariant(variantId);
  }

  async createVariant(name: string, fromVariantId: string | null, lab: Lab | null): Promise<VariantDoc> {
    return this.options.store.createVariant(name, fromVariantId, lab);
  }

  async renameVariant(variantId: string, name: string): Promise<ProjectInfo> {
    return this.options.store.renameVariant(variantId, name);
  }

  async deleteVariant(variantId: string): Promise<ProjectInfo> {
    return this.options.store.deleteVariant(variantId);
  }

  async applyEdit(variantId: string, baseRevision: number, edit: LabEdit): Promise<VariantDoc> {
    return this.options.store.applyEdit(variantId, baseRevision, edit);
  }

  async undo(variantId: string): Promise<VariantDoc> {
    return this.options.store.undo(variantId);
  }

  async redo(variantId: string): Promise<VariantDoc> {
    return this.options.store.redo(variantId);
  }

  async readTextFile(path: string): Promise<{ path: string; text: string }> {
    return readTextFile(path);
  }

  async readSnapshotFolder(path: string): Promise<{ path: string; files: Record<string, string> }> {
    return readSnapshotFolder(path);
  }

  async exportVariant(request: ExportRequest): Promise<ExportReport> {
    const doc = this.options.store.getVariant(request.variantId);
    return this.exporter({ name: doc.name, lab: doc.lab }, request);
  }

  async showOpenDialog(options: FileDialogOptions): Promise<string | null> {
    return this.options.dialogs.showOpenDialog(options);
  }

  async showSaveDialog(options: FileDialogOptions): Promise<string | null> {
    return this.options.dialogs.showSaveDialog(options);
  }

  /** Closes the project file (app quit). */
  close(): void {
    this.options.store.close();
  }

  private session(): SessionState {
    const store = this.options.store;
    return { project: store.isOpen ? store.info() : null, recent: this.options.settings.recent, firstStart: this.options.settings.firstStart };
  }

  private opened(info: ProjectInfo): ProjectInfo {
    this.options.settings.addRecent(info.path);
    this.options.onSessionChanged?.(this.session());
    return info;
  }
}
