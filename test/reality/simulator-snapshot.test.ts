// A snapshot taken inside a namespace lab with the collect script, fed to
// `virtwall check` (checkSnapshot, and once through the CLI): its verdicts must
// agree with what the kernel answered to the same probes.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main.ts';
import { readSnapshotFolder } from '../../cli/commands/snapshotFolder.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import type { Ruleset } from '../../shared/netfilter/model.ts';
import { checkSnapshot } from '../../shared/snapshot/checkSnapshot.ts';
import { COLLECT_SCRIPT } from '../../shared/snapshot/collectScript.ts';
import { buildLabWorld } from '../../shared/simulator/labWorld.ts';
import { matrixServices, matrixTargets } from '../../shared/simulator/matrix.ts';
import { iptablesSave, libvirtRules, runtimeFor, storyLab } from '../../shared/simulator/simulatorTestkit.testkit.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';
import { observedText, predictedText, probeFrom, probeOf } from './lab/compareMatrix.ts';
import { realizeWorld } from './lab/worldNamespaces.ts';

const skip = realitySkipReason(['ip', 'iptables-restore', 'iptables-legacy-restore', 'nft', 'ping', 'nc', 'tcpdump', 'ss']);

describe.skipIf(skip !== null)('virtwall check on a snapshot of a namespace lab agrees with the kernel', () => {
  let lab: NetnsLab | null = null;
  let dir: string | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  for (const variant of ['isolated', 'route', 'nat', 'route-no-return', 'forward-drop'] as const) {
    it(variant, async () => {
      const mode = variant === 'isolated' ? 'isolated' : variant === 'nat' ? 'nat' : 'route';
      const l = storyLab(mode);
      // `check` assumes destinations beyond the host answer every service: make the lab's do so.
      l.internet.listens = ['icmp', 'tcp/22', 'tcp/443', 'udp/53'];
      if (variant === 'route-no-return') l.gateway.routes = [];
      const r = libvirtRules(mode);
      const save = variant === 'forward-drop' ? iptablesSave(['-A FORWARD -i virbr3 -o eth1 -p tcp -j ACCEPT'], [], { FORWARD: 'DROP' }) : iptablesSave(r.filter, r.nat);
      const rulesets: Ruleset[] = [parseIptablesSave(save, { family: 'ipv4', backend: 'nft' }).ruleset];
      const runtime = { ...runtimeFor(l, null), netfilter: rulesets };
      const world = buildLabWorld(l, runtime);
      lab = new NetnsLab('snap');
      const realized = await realizeWorld(lab, world, { hostRulesets: rulesets, probedPorts: { tcp: [22, 443], udp: [53] } });
      dir = mkdtempSync(join(tmpdir(), 'vwsnap-'));
      const out = join(dir, 'snap');
      await lab.execOk(realized.ns.get('host')!, ['sh', '-s', out], COLLECT_SCRIPT);
      const files = readSnapshotFolder(out, '/');
      const targets = matrixTargets(world).filter((t) => !t.key.startsWith('guest:'));
      const cells = targets.flatMap((t) => matrixServices([]).map((service) => ({ t, service })));
      const observed = await probeFrom(lab, realized.ns.get('guest:guest-kali')!, cells.map((c) => probeOf(c.service, c.t.address)));
      const mismatches: string[] = [];
      cells.forEach((c, i) => {
        const v = checkSnapshot(files, { from: '192.168.10.20', to: c.t.address, service: c.service, returnRoute: variant !== 'route-no-return' });
        const p = predictedText(v);
        const o = observedText(observed[i]);
        if (p !== o) mismatches.push(`${c.t.address} ${c.service}: check says ${p}, kernel ${o} — ${v.headline}`);
      });
      expect(cells.length).toBeGreaterThanOrEqual(12);
      expect(mismatches).toEqual([]);
      // The CLI prints at least the documented JSON keys.
      let stdout = '';
      const code = await runCli(['check', out, '--from', '192.168.10.20', '--to', '192.168.90.1', '--service', 'icmp', '--json', ...(variant === 'route-no-return' ? ['--no-return-route'] : [])], { stdout: (t) => (stdout += t), stderr: () => {}, cwd: '/' });
      const json = JSON.parse(stdout) as Record<string, unknown>;
      for (const k of ['guestSees', 'cause', 'decidedBy', 'path', 'assumptions']) expect(json).toHaveProperty(k);
      expect(code).toBe(json.guestSees === 'reply' ? 0 : 1);
    });
  }
});
