// virtwall simulate PROJECT --variant NAME --from GUEST_IP --to IP --service S [--json]
// One flow in a variant of a project; same output as `virtwall check`.
// Exit 0 when the guest gets a reply, 1 otherwise.

import { FlowRequestError } from '../../shared/simulator/flowTypes.ts';
import { simulateFlow } from '../../shared/simulator/simulateFlow.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { projectPath } from './projectCliStore.ts';
import { readVariantLabs } from './projectLabs.ts';
import { formatVerdict, verdictJson } from './verdictOutput.ts';

export const simulate: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['variant', 'from', 'to', 'service', 'upto-event'], booleans: ['json'] });
  if (flags.positional.length !== 1) throw new UsageError('exactly one PROJECT file expected');
  for (const f of ['variant', 'from', 'to', 'service']) if (!flags.values[f]) throw new UsageError(`--${f} is required`);
  const [{ lab }] = readVariantLabs(projectPath(flags.positional[0], io), [flags.values.variant]);
  let verdict;
  try {
    verdict = simulateFlow(lab, { from: flags.values.from, to: flags.values.to, service: flags.values.service }, flags.values['upto-event'] ? { uptoEventId: flags.values['upto-event'] } : {});
  } catch (e) {
    if (e instanceof FlowRequestError) throw new UsageError(e.message);
    throw e;
  }
  io.stdout(flags.booleans.has('json') ? JSON.stringify(verdictJson(verdict), null, 2) + '\n' : formatVerdict(verdict));
  return verdict.guestSees === 'reply' ? 0 : 1;
};
