// The `virtwall` command table: "group subcommand" → module. Modules are loaded
// lazily so `virtwall validate` does not pay for the SQLite driver.

import type { CliCommand } from './io.ts';

export interface CommandEntry {
  /** Words of the command, e.g. ['xml', 'canonical']. */
  words: string[];
  usage: string;
  summary: string;
  load: () => Promise<CliCommand>;
}

export const COMMANDS: CommandEntry[] = [
  // Entries are added by each feature (see cli/commands/*.ts).
];
