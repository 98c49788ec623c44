// What a CLI command gets: its arguments and where to write. Commands never
// call process.exit themselves; they return the exit code (testable in-process).

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/** Thrown for bad usage; main prints it with the command's usage line and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
