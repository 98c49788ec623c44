// The one contract between the renderer and the backend (Electron main, or the
// loopback bridge in end-to-end tests). Named async methods only — no generic
// invoke(channel) passthrough. Main registers a handler per entry of
// API_CHANNELS and validates the arguments with API_VALIDATORS before calling
// the service; the preload builds `window.api` method by method
// (`satisfies AppApi`).
//
// Simulation, validation and rule generation are pure (shared/) and run in the
// renderer's worker; the API covers what needs the disk, the SQLite store,
// native dialogs or the network (export over SSH).

import type { Lab } from '../lab/labModel.ts';

export interface VariantSummary {
  id: string;
  name: string;
  position: number;
  updatedAt: string;
}

export interface ProjectInfo {
  path: string;
  name: string;
  createdAt: string;
  /** PRAGMA user_version of the file. */
  schemaVersion: number;
  appVersion: string;
  variants: VariantSummary[];
}

export interface VariantDoc {
  id: string;
  name: string;
  lab: Lab;
  /** Increases with every edit, undo and redo; edits name the revision they were made on. */
  revision: number;
  canUndo: boolean;
  canRedo: boolean;
  /** Label of the edit the next undo would revert, for the Edit menu ("Undo Change forward mode"). */
  undoLabel?: string;
  redoLabel?: string;
}

/** RFC 6902 subset. Paths are JSON pointers into the Lab. */
export type JsonPatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

export interface LabEdit {
  /** Shown in undo/redo labels and the history: "Change forward mode of deb to route". */
  label: string;
  patch: JsonPatchOp[];
}

export interface SessionState {
  project: ProjectInfo | null;
  recent: string[];
  /** True on the very first start (no settings yet): the UI then opens the sample lab. */
  firstStart: boolean;
}

export interface FileDialogOptions {
  purpose: 'open-project' | 'save-project' | 'import-network-xml' | 'import-snapshot' | 'import-ruleset' | 'export-folder';
  defaultPath?: string;
}

export interface ExportRequest {
  variantId: string;
  /** A folder path, or `ssh://user@host[:port]/path`. */
  target: string;
  /** Only list what would be written / uploaded. */
  dryRun?: boolean;
  overwrite?: boolean;
}

export interface ExportReport {
  target: string;
  files: { path: string; bytes: number; sha256: string }[];
  dryRun: boolean;
  warnings: string[];
  /** For an SSH target: what happens (dry run: would happen) on the host, in order. */
  steps?: string[];
}

export interface AppInfo {
  version: string;
  /** OS locale, e.g. 'de-DE'; the UI follows it unless the user switched. */
  locale: string;
  platform: string;
  /** True in Electron: the native menu's accelerators run the shortcuts (the renderer must not run them twice). */
  nativeMenu?: boolean;
}

export type MenuCommand =
  | 'file.new'
  | 'file.open'
  | 'file.saveAs'
  | 'file.importNetworkXml'
  | 'file.importSnapshot'
  | 'file.importRuleset'
  | 'file.export'
  | 'edit.undo'
  | 'edit.redo'
  | 'view.topology'
  | 'view.network'
  | 'view.layers'
  | 'view.simulation'
  | 'view.matrix'
  | 'view.compare'
  | 'help.about'
  /** Main opened a project by itself (file association, second instance, Open Recent): reload the session. */
  | 'project.opened';

export interface AppApi {
  getAppInfo(): Promise<AppInfo>;
  getSession(): Promise<SessionState>;
  newProject(path: string, name: string): Promise<ProjectInfo>;
  openProject(path: string): Promise<ProjectInfo>;
  /** Writes the sample lab project (first start) to the user data folder and opens it. */
  openSampleProject(): Promise<ProjectInfo>;
  saveProjectAs(path: string): Promise<ProjectInfo>;
  getVariant(variantId: string): Promise<VariantDoc>;
  createVariant(name: string, fromVariantId: string | null, lab: Lab | null): Promise<VariantDoc>;
  renameVariant(variantId: string, name: string): Promise<ProjectInfo>;
  deleteVariant(variantId: string): Promise<ProjectInfo>;
  applyEdit(variantId: string, baseRevision: number, edit: LabEdit): Promise<VariantDoc>;
  undo(variantId: string): Promise<VariantDoc>;
  redo(variantId: string): Promise<VariantDoc>;
  /** Reads a text file the user picked (import); refuses binaries and files over 16 MiB. */
  readTextFile(path: string): Promise<{ path: string; text: string }>;
  /** Reads a snapshot folder written by `virtwall collect` (every file as text). */
  readSnapshotFolder(path: string): Promise<{ path: string; files: Record<string, string> }>;
  exportVariant(request: ExportRequest): Promise<ExportReport>;
  showOpenDialog(options: FileDialogOptions): Promise<string | null>;
  showSaveDialog(options: FileDialogOptions): Promise<string | null>;
  /** Events from the application menu. Returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

/** Methods that go over IPC as request/response (everything except the subscriptions). */
export type ApiMethod = Exclude<keyof AppApi, 'onMenuCommand'>;

export const API_CHANNELS: Record<ApiMethod, string> = {
  getAppInfo: 'virtwall:getAppInfo',
  getSession: 'virtwall:getSession',
  newProject: 'virtwall:newProject',
  openProject: 'virtwall:openProject',
  openSampleProject: 'virtwall:openSampleProject',
  saveProjectAs: 'virtwall:saveProjectAs',
  getVariant: 'virtwall:getVariant',
  createVariant: 'virtwall:createVariant',
  renameVariant: 'virtwall:renameVariant',
  deleteVariant: 'virtwall:deleteVariant',
  applyEdit: 'virtwall:applyEdit',
  undo: 'virtwall:undo',
  redo: 'virtwall:redo',
  readTextFile: 'virtwall:readTextFile',
  readSnapshotFolder: 'virtwall:readSnapshotFolder',
  exportVariant: 'virtwall:exportVariant',
  showOpenDialog: 'virtwall:showOpenDialog',
  showSaveDialog: 'virtwall:showSaveDialog',
};

export const MENU_COMMAND_CHANNEL = 'virtwall:menuCommand';
