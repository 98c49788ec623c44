// virtwall xml canonical FILE.xml [--used-bridge NAME]… [--uuid UUID] [--mac MAC]
//
// Prints what `virsh net-dumpxml --inactive` would print after `virsh
// net-define FILE.xml` (libvirt.md §7). The uuid and bridge mac libvirt would
// generate are random (pass --uuid/--mac for a reproducible result); the bridge
// name is the first free virbrN not given with --used-bridge.
// If libvirt would refuse the file: `FILE:line:col: message` on stderr, exit 1.
// Problems that only make net-start fail are printed the same way, exit 0.

import { randomBytes, randomUUID } from 'node:crypto';
import { canonicalNetworkXml } from '../../shared/libvirt/canonicalNetworkXml.ts';
import { sortProblems } from '../../shared/libvirt/networkProblem.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { locationPrefix, readNetworkFile } from './xmlFiles.ts';

export const xmlCanonical: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['uuid', 'mac'], repeatable: ['used-bridge'] });
  if (flags.positional.length !== 1) throw new UsageError(`one FILE.xml expected, got ${flags.positional.length}`);
  const file = flags.positional[0];
  const read = readNetworkFile(file, io.cwd);
  if (!read.ok) {
    io.stderr(`${file}: ${read.problem.message}\n`);
    return 1;
  }
  const result = canonicalNetworkXml(read.text, {
    usedBridgeNames: flags.lists['used-bridge'] ?? [],
    newUuid: () => flags.values.uuid ?? randomUUID(),
    newMac: () => flags.values.mac ?? `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`,
  });
  const errors = sortProblems(result.problems.filter((p) => p.severity === 'error'));
  for (const p of errors) io.stderr(`${locationPrefix(file, p)}: ${p.message}\n`);
  if (result.xml === null) return 1;
  io.stdout(result.xml);
  return 0;
};

export default xmlCanonical;
