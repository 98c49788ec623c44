// What travels back over IPC and the loopback bridge for one API call. Electron
// flattens a thrown Error into "Error invoking remote method '…': Error: …" and
// drops its fields, so main answers with this envelope and the preload (or the
// bridge preload) turns a failure back into an Error with the same name, code
// and message — the renderer shows the message as is.

export interface ApiFailure {
  /** 'StoreError', 'ProjectFileError', 'ApiArgumentError', 'FileReadError', 'Error', ... */
  name: string;
  message: string;
  /** Machine-readable cause when the service has one (StoreError codes, 'ENOENT', ...). */
  code?: string;
}

export type ApiResult = { ok: true; value: unknown } | { ok: false; error: ApiFailure };
