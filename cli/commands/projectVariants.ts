// virtwall project variants FILE [--json]: the variants in project order.
// --json prints exactly {"variants":[{"name":"…","id":"…"}]} (issue 2 §4).

import { parseFlags } from '../parseFlags.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { projectPath, readProjectInfo } from './projectCliStore.ts';

export const projectVariants: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { booleans: ['json'] });
  if (flags.positional.length > 1) throw new UsageError(`one FILE expected, got ${flags.positional.length}`);
  const { variants } = readProjectInfo(projectPath(flags.positional[0], io));
  if (flags.booleans.has('json')) {
    io.stdout(JSON.stringify({ variants: variants.map((v) => ({ name: v.name, id: v.id })) }) + '\n');
  } else {
    io.stdout(variants.map((v) => `${v.id}\t${v.name}\n`).join(''));
  }
  return 0;
};

export default projectVariants;
