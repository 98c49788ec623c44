// The backend behind AppApi: everything except the menu subscription, as plain
// async methods. Main wraps it in IPC handlers, the loopback bridge in HTTP
// routes; both run the same code over the real store and files.

import type { ApiMethod, AppApi, ExportReport, ExportRequest, FileDialogOptions } from '../../../../shared/api/contract.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';

export type BackendApi = Pick<AppApi, ApiMethod>;

/** Native dialogs in Electron, a queue of test answers in the bridge. */
export interface BackendDialogs {
  showOpenDialog(options: FileDialogOptions): Promise<string | null>;
  showSaveDialog(options: FileDialogOptions): Promise<string | null>;
}

/** Writes one variant somewhere (the export engineer's bundle writer plugs in here). */
export type VariantExporter = (variant: { name: string; lab: Lab }, request: ExportRequest) => Promise<ExportReport>;
