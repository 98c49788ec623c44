// virtwall export PROJECT --variant NAME --to DIR|ssh://user@host[:port]/path
//   [--dry-run] [--overwrite] [--check [--check-arg ARG]...] [--identity FILE]
//   [--known-hosts FILE] [--ssh-option KEY=VALUE]... [--confirm-timeout N] [--json]
//
// Builds the variant's bundle (issue 7) and writes it to a folder atomically or
// uploads it over SSH. --json prints the report: target, every file with bytes
// and sha256, warnings, and for SSH the steps on the host and the check's output.

import type { CliCommand } from '../io.ts';
import { UsageError } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { exportVariantBundle } from '../../electron/main/services/exportWriter/exportVariantBundle.ts';
import { cliProjectStore, projectPath } from './projectCliStore.ts';

export const exportCommand: CliCommand = async (args, io) => {
  const flags = parseFlags(args, {
    values: ['variant', 'to', 'identity', 'known-hosts', 'confirm-timeout'],
    repeatable: ['ssh-option', 'check-arg'],
    booleans: ['json', 'dry-run', 'overwrite', 'check'],
  });
  if (flags.positional.length !== 1) throw new UsageError(`one PROJECT expected, got ${flags.positional.length}`);
  const variantName = flags.values.variant;
  const to = flags.values.to;
  if (!variantName) throw new UsageError('--variant NAME is missing');
  if (!to) throw new UsageError('--to DIR or --to ssh://user@host[:port]/path is missing');
  const confirmText = flags.values['confirm-timeout'];
  const confirmSeconds = confirmText === undefined ? undefined : Number(confirmText);
  if (confirmSeconds !== undefined && !(Number.isInteger(confirmSeconds) && confirmSeconds > 0)) throw new UsageError(`--confirm-timeout needs whole seconds, got '${confirmText}'`);

  const store = cliProjectStore();
  let variant;
  let projectName: string;
  try {
    const info = store.open(projectPath(flags.positional[0], io), { readOnly: true });
    projectName = info.name;
    const found = info.variants.find((v) => v.name === variantName) ?? info.variants.find((v) => v.id === variantName);
    if (!found) throw new UsageError(`no variant '${variantName}' in ${info.name}; variants: ${info.variants.map((v) => `'${v.name}'`).join(', ')}`);
    const doc = store.getVariant(found.id);
    variant = { name: doc.name, lab: doc.lab };
  } finally {
    store.close();
  }

  const report = await exportVariantBundle(
    variant,
    { variantId: variantName, target: /^ssh:\/\//i.test(to) ? to : projectPath(to, io), dryRun: flags.booleans.has('dry-run'), overwrite: flags.booleans.has('overwrite') },
    {
      projectName,
      confirmSeconds,
      ssh: {
        runCheck: flags.booleans.has('check'),
        checkArgs: flags.lists['check-arg'],
        identityFile: flags.values.identity,
        knownHostsFile: flags.values['known-hosts'],
        sshOptions: flags.lists['ssh-option'],
      },
    },
  );
  if (flags.booleans.has('json')) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.stdout(`${report.dryRun ? 'would write' : 'wrote'} ${report.files.length} files to ${report.target}\n`);
    for (const f of report.files) io.stdout(`  ${f.path}  ${f.bytes} bytes\n`);
    for (const s of report.steps ?? []) io.stdout(`  step: ${s}\n`);
    for (const w of report.warnings) io.stderr(`warning: ${w}\n`);
    if (report.check) io.stdout(`check on the host (exit ${report.check.exitCode}):\n${report.check.output}`);
  }
  return report.check && report.check.exitCode !== 0 ? 1 : 0;
};

export default exportCommand;
