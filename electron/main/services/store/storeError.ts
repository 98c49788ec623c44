// Errors the user (or the renderer) can act on, with a code the UI can branch
// on and a message that names the variant, revision or path involved.

export type StoreErrorCode =
  | 'no-project'
  | 'unknown-variant'
  | 'stale-revision'
  | 'invalid-edit'
  | 'invalid-lab'
  | 'nothing-to-undo'
  | 'nothing-to-redo'
  | 'duplicate-name'
  | 'invalid-name'
  | 'last-variant'
  | 'target-exists';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
