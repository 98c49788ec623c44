// virtwall sample FILE [--force]: writes the sample project (the story's lab in
// its four variants) — the same project the app opens on first start. Refuses
// an existing FILE unless --force, which replaces it atomically.

import { existsSync } from 'node:fs';
import { parseFlags } from '../parseFlags.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { sampleProjectVariants, SAMPLE_PROJECT_NAME } from '../../shared/lab/sampleLab.ts';
import { cliProjectStore, projectPath } from './projectCliStore.ts';

export const sample: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { booleans: ['force'] });
  if (flags.positional.length > 1) throw new UsageError(`one FILE expected, got ${flags.positional.length}`);
  const path = projectPath(flags.positional[0], io);
  const force = flags.booleans.has('force');
  if (!force && existsSync(path)) {
    io.stderr(`virtwall sample: ${path} already exists (use --force to replace it)\n`);
    return 1;
  }
  const store = cliProjectStore();
  try {
    const info = store.create(path, SAMPLE_PROJECT_NAME, { variants: sampleProjectVariants(), overwrite: force });
    io.stdout(`wrote ${info.path}: "${info.name}" with variants ${info.variants.map((v) => `"${v.name}"`).join(', ')}\n`);
    return 0;
  } finally {
    store.close();
  }
};

export default sample;
