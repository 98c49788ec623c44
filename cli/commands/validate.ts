// virtwall validate FILE.xml… [--json] [--host-interface NAME[=CIDR,…]]…
//
// Validates libvirt network definitions as libvirt would (define and start),
// all files together as one project in the order given (the order they would
// be defined and started). Exit 0 when no file has an error, 1 otherwise.

import { sortProblems, type NetworkProblem } from '../../shared/libvirt/networkProblem.ts';
import { validateProject, type HostInterface } from '../../shared/libvirt/validateProject.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { formatProblemLine, problemJson, readNetworkFile } from './xmlFiles.ts';

function parseHostInterface(spec: string): HostInterface {
  const eq = spec.indexOf('=');
  const name = eq === -1 ? spec : spec.slice(0, eq);
  if (name === '') throw new UsageError(`--host-interface needs a name: '${spec}'`);
  const addresses = eq === -1 ? [] : spec.slice(eq + 1).split(',').filter((a) => a !== '');
  return { name, addresses };
}

export const validate: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { booleans: ['json'], repeatable: ['host-interface'] });
  const files = flags.positional;
  if (files.length === 0) throw new UsageError('at least one FILE.xml expected');
  const hostInterfaces = (flags.lists['host-interface'] ?? []).map(parseHostInterface);

  const reads = files.map((file) => readNetworkFile(file, io.cwd));
  const readable = reads.flatMap((r, i) => (r.ok ? [{ file: files[i], text: r.text }] : []));
  const validated = validateProject(readable, hostInterfaces);
  let next = 0;
  const results: { file: string; problems: NetworkProblem[] }[] = reads.map((r, i) => ({
    file: files[i],
    problems: r.ok ? sortProblems(validated[next++]) : [r.problem],
  }));

  const failed = results.some((r) => r.problems.some((p) => p.severity === 'error'));
  if (flags.booleans.has('json')) {
    io.stdout(JSON.stringify({ files: results.map((r) => ({ file: r.file, problems: r.problems.map(problemJson) })) }) + '\n');
  } else {
    const lines = results.flatMap((r) => r.problems.map((p) => formatProblemLine(r.file, p)));
    if (lines.length > 0) io.stdout(lines.join('\n') + '\n');
    const errors = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'error').length, 0);
    const warnings = results.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'warning').length, 0);
    io.stderr(`${files.length} file${files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return failed ? 1 : 0;
};

export default validate;
