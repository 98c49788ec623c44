// virtwall libvirt rules [--libvirt VERSION] [--backend iptables|nftables] [--family ipv4|ipv6] [--commands] NETWORK.xml...
//
// Starts the networks in the given order on an empty host, as libvirtd of that
// version would (shared/layers/libvirt), and prints the tables libvirt
// touched: iptables-save text (IPv4 by default, --family ipv6 for
// ip6tables-save) with the iptables backend, `nft list ruleset` text with the
// nftables backend (libvirt ≥ 10.4). --commands prints the commands libvirtd
// runs instead, in its order (as its debug log shows them). A network libvirt
// would refuse is reported as FILE:line:col: error: message (exit 1).

import { parseNetworkXml } from '../../shared/libvirt/parseNetworkXml.ts';
import { emptyNetfilterState } from '../../shared/netfilter/netfilterState.ts';
import { printIptablesSave, withIptablesNftTableOrder } from '../../shared/netfilter/iptables/printIptablesSave.ts';
import { printNftRuleset } from '../../shared/netfilter/nft/printNftRuleset.ts';
import { labNetworks } from '../../shared/layers/libvirt/labNetworks.ts';
import { LibvirtDaemon } from '../../shared/layers/libvirt/libvirtDaemon.ts';
import { StateHostPort } from '../../shared/layers/libvirt/stateHostPort.ts';
import { UsageError, type CliCommand } from '../io.ts';
import { parseFlags } from '../parseFlags.ts';
import { formatProblemLine, readNetworkFile } from './xmlFiles.ts';

export const libvirtRules: CliCommand = async (args, io) => {
  const flags = parseFlags(args, { values: ['libvirt', 'backend', 'family'], booleans: ['commands'] });
  const version = flags.values.libvirt ?? '9.0';
  if (!/^\d+(\.\d+){0,2}$/.test(version)) throw new UsageError(`--libvirt must be a version like 9.0, 11.3 or 4.10, not "${version}"`);
  const backend = flags.values.backend ?? 'iptables';
  if (backend !== 'iptables' && backend !== 'nftables') throw new UsageError(`--backend must be iptables or nftables, not "${backend}"`);
  const family = flags.values.family ?? 'ipv4';
  if (family !== 'ipv4' && family !== 'ipv6') throw new UsageError(`--family must be ipv4 or ipv6, not "${family}"`);
  if (flags.positional.length === 0) throw new UsageError('give at least one NETWORK.xml (they start in the order given)');

  let failed = false;
  const networks: { id: string; xml: string; autostart: boolean }[] = [];
  for (const file of flags.positional) {
    const read = readNetworkFile(file, io.cwd);
    if (!read.ok) {
      io.stderr(`${formatProblemLine(file, read.problem)}\n`);
      failed = true;
      continue;
    }
    const problems = parseNetworkXml(read.text).problems.filter((p) => p.severity === 'error');
    for (const p of problems) io.stderr(`${formatProblemLine(file, p)}\n`);
    if (problems.length) failed = true;
    networks.push({ id: file, xml: read.text, autostart: false });
  }
  if (failed) return 1;

  const host = new StateHostPort(emptyNetfilterState());
  const daemon = new LibvirtDaemon(host, version, backend);
  if (daemon.flavour.backendNote) io.stderr(`note: ${daemon.flavour.backendNote}\n`);
  if (daemon.flavour.layout === 'builtin-chains') io.stderr(`note: libvirt ${version} (< 5.1) put its rules straight into INPUT/FORWARD/OUTPUT/POSTROUTING; this layout is from libvirt's history, not captured from a running daemon\n`);
  daemon.start({ event: 'libvirtd start' });
  for (const info of labNetworks({ networks, host: { interfaces: [] } as never })) {
    if (!daemon.startNetwork(info, { event: `net-start ${info.network?.name ?? info.id}` })) {
      io.stderr(`${info.id}: error: ${host.failures[host.failures.length - 1]}\n`);
      failed = true;
    }
  }
  for (const n of host.notes.filter((x) => x.severity !== 'info')) io.stderr(`${n.severity}: ${n.text}\n`);

  if (flags.booleans.has('commands')) io.stdout(host.log.map((l) => `${l.text}${l.error ? `   # failed: ${l.error}` : ''}\n`).join(''));
  else if (daemon.flavour.backend === 'nftables') {
    const wanted = flags.values.family ? (family === 'ipv4' ? 'ip' : 'ip6') : null;
    io.stdout(printNftRuleset({ kind: 'nft', tables: host.state.nft.tables.filter((t) => wanted === null || t.family === wanted) }));
  } else io.stdout(printIptablesSave(withIptablesNftTableOrder(host.state.iptables.nft[family])));
  return failed ? 1 : 0;
};
