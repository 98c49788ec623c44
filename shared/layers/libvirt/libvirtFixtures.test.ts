// Equal to real libvirt: every `*-single` and `*-pair` capture of libvirt 9.0
// and 11.3 (iptables and nftables backends). The networks are started in the
// captured order on an empty host; the printed rulesets must equal the dumps
// byte for byte, and the commands libvirtd ran (commands.txt) must be the
// commands the model ran, in order — start and teardown.

import { describe, expect, it } from 'vitest';
import { emptyNetfilterState } from '../../netfilter/netfilterState.ts';
import { LibvirtDaemon } from './libvirtDaemon.ts';
import { StateHostPort } from './stateHostPort.ts';
import { caseCommands, caseHas, caseNames, caseNetworks, folderSetup, FOLDERS, printIpt, printNft, readCase, readDump } from '../../../test/testkit/libvirtFixtureCase.ts';

function runCase(folder: (typeof FOLDERS)[number], name: string) {
  const setup = folderSetup(folder);
  const host = new StateHostPort(emptyNetfilterState());
  const daemon = new LibvirtDaemon(host, setup.version, setup.backend);
  daemon.start({ event: 'libvirtd start' });
  const networks = caseNetworks(folder, name);
  for (const n of networks) expect(daemon.startNetwork(n, { event: `net-start ${n.id}` }), host.failures.join('\n')).toBe(true);
  return { setup, host, daemon, networks };
}

for (const folder of FOLDERS) {
  describe(`libvirt ${folder}: single networks and pairs`, () => {
    for (const name of caseNames(folder, /-(single|pair)$/)) {
      it(name, () => {
        const { setup, host, daemon, networks } = runCase(folder, name);
        if (setup.backend === 'nftables') {
          expect(printNft(host.state)).toBe(readDump(folder, name, 'ruleset.txt'));
          expect(printNft(host.state, true)).toBe(readDump(folder, name, 'ruleset-handles.txt'));
        } else {
          expect(printIpt(host.state, 'ipv4', setup.iptablesVersion)).toBe(readDump(folder, name, 'ruleset.txt'));
          if (caseHas(folder, name, 'ruleset6.txt')) expect(printIpt(host.state, 'ipv6', setup.iptablesVersion)).toBe(readDump(folder, name, 'ruleset6.txt'));
        }
        // Forwarding sysctls as the capture found them (state.txt; both start at 0 in the namespace).
        const state = readCase(folder, name, 'state.txt');
        for (const [file, key] of [['net/ipv4/ip_forward', 'net.ipv4.ip_forward'], ['net/ipv6/conf/all/forwarding', 'net.ipv6.conf.all.forwarding']]) {
          const real = new RegExp(`^${file} = (\\d)$`, 'm').exec(state)?.[1];
          expect(host.sysctls.get(key)?.value ?? '0', key).toBe(real);
        }
        const captured = caseCommands(folder, name);
        expect(host.log.map((l) => l.text)).toEqual(captured.start);
        expect(host.log.every((l) => l.error === null)).toBe(true);

        const before = host.log.length;
        for (const id of captured.shutdownOrder) {
          const n = networks.find((x) => x.id === id);
          expect(n).toBeDefined();
          expect(daemon.destroyNetwork(id, { event: `net-destroy ${id}` })).toBe(true);
        }
        expect(host.log.slice(before).map((l) => l.text)).toEqual(captured.teardown);
      });
    }
  });
}
