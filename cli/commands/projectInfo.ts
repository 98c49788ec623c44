// virtwall project info FILE [--json]: what the file is and what it holds,
// read without writing (a file from a newer virtwall or a foreign file is
// refused with the reason, exit 1).

import { parseFlags } from '../parseFlags.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { projectPath, readProjectInfo } from './projectCliStore.ts';

export const projectInfo: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { booleans: ['json'] });
  if (flags.positional.length > 1) throw new UsageError(`one FILE expected, got ${flags.positional.length}`);
  const info = readProjectInfo(projectPath(flags.positional[0], io));
  if (flags.booleans.has('json')) {
    io.stdout(JSON.stringify(info) + '\n');
    return 0;
  }
  const lines = [
    `file:     ${info.path}`,
    `project:  ${info.name}`,
    `created:  ${info.createdAt}`,
    `format:   ${info.schemaVersion} (last written by virtwall ${info.appVersion})`,
    `variants: ${info.variants.length}`,
    ...info.variants.map((v, i) => `  ${i + 1}. ${v.name}  (id ${v.id}, changed ${v.updatedAt})`),
  ];
  io.stdout(lines.join('\n') + '\n');
  return 0;
};

export default projectInfo;
