// Errors of writing a bundle, in words the user can act on, with the errno
// code kept for the app (the API passes `code` through).

export class ExportWriteError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = 'ExportWriteError';
  }
}

export function describeFsError(err: unknown, where: string, doing: string, bytesNeeded?: number): ExportWriteError {
  if (err instanceof ExportWriteError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  const detail = (err as Error | undefined)?.message ?? String(err);
  const nothing = 'nothing was written';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new ExportWriteError(`not enough space to ${doing} ${where}${bytesNeeded ? ` (the bundle needs ${bytesNeeded} bytes)` : ''}; ${nothing} — free some space or pick another medium`, code);
    case 'EACCES':
    case 'EPERM':
      return new ExportWriteError(`no permission to ${doing} ${where}; ${nothing} — pick a folder you may write to`, code);
    case 'EROFS':
      return new ExportWriteError(`${where} is on read-only media; ${nothing} — check the stick's write-protect switch or remount it read-write`, code);
    case 'ENOENT':
      return new ExportWriteError(`${where} disappeared while writing (was the stick removed?); ${nothing}`, code);
    default:
      return new ExportWriteError(`cannot ${doing} ${where}: ${detail}; ${nothing}`, code);
  }
}
