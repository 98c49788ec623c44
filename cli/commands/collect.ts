// virtwall collect: prints the read-only snapshot script (shared/snapshot/collectScript.ts).
// Usage on a host:  virtwall collect > collect.sh && sudo sh collect.sh SNAPSHOT_DIR

import { COLLECT_SCRIPT } from '../../shared/snapshot/collectScript.ts';
import { UsageError, type CliCommand } from '../io.ts';

export const collect: CliCommand = async (args, io) => {
  if (args.length > 0) throw new UsageError(`no arguments expected, got ${JSON.stringify(args[0])}`);
  io.stdout(COLLECT_SCRIPT);
  return 0;
};
