// virtwall project new FILE [--name NAME]: a project with one variant holding the
// default lab (topology T0). Refuses an existing FILE.

import { basename, extname } from 'node:path';
import { parseFlags } from '../parseFlags.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { cliProjectStore, projectPath } from './projectCliStore.ts';

export const projectNew: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['name'] });
  if (flags.positional.length > 1) throw new UsageError(`one FILE expected, got ${flags.positional.length}`);
  const path = projectPath(flags.positional[0], io);
  const name = flags.values.name ?? basename(path, extname(path));
  const store = cliProjectStore();
  try {
    const info = store.create(path, name);
    io.stdout(`created ${info.path}: project "${info.name}" with variant "${info.variants[0].name}"\n`);
    return 0;
  } finally {
    store.close();
  }
};

export default projectNew;
