// virtwall check SNAPSHOT_DIR --from IP --to IP --service icmp|tcp/PORT|udp/PORT [--no-return-route] [--json]
//
// Simulates one flow on a host as found (a `virtwall collect` folder): the
// guest is --from on the bridge whose subnet holds it, the upstream is the
// default route's gateway and routes the bridge subnets back unless
// --no-return-route. Exit 0 when the guest gets a reply, 1 otherwise.

import { checkSnapshot } from '../../shared/snapshot/checkSnapshot.ts';
import { FlowRequestError } from '../../shared/simulator/flowTypes.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { formatVerdict, verdictJson } from './verdictOutput.ts';
import { readSnapshotFolder } from './snapshotFolder.ts';

export const check: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['from', 'to', 'service'], booleans: ['json', 'no-return-route'] });
  if (flags.positional.length !== 1) throw new UsageError('exactly one SNAPSHOT_DIR expected');
  for (const f of ['from', 'to', 'service']) if (!flags.values[f]) throw new UsageError(`--${f} is required`);
  const files = readSnapshotFolder(flags.positional[0], io.cwd);
  let verdict;
  try {
    verdict = checkSnapshot(files, { from: flags.values.from, to: flags.values.to, service: flags.values.service, returnRoute: !flags.booleans.has('no-return-route') });
  } catch (e) {
    if (e instanceof FlowRequestError) throw new UsageError(e.message);
    throw e;
  }
  io.stdout(flags.booleans.has('json') ? JSON.stringify(verdictJson(verdict), null, 2) + '\n' : formatVerdict(verdict));
  return verdict.guestSees === 'reply' ? 0 : 1;
};
