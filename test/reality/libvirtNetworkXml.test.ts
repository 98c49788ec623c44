// Differential test against the real libvirt of this machine (9.0 on Debian 12):
// random network definitions, near-valid on purpose, go through
//   virsh net-define → net-start → net-dumpxml --inactive
// in a throwaway libvirtd (test/reality/tools/libvirt-capture.sh: own network and
// mount namespaces, nothing of the host touched), and virtwall must agree:
//   - define refused  ⇔ a 'define' error whose message contains libvirt's;
//   - start failed    ⇔ a 'start' error (same message where libvirt has one);
//   - both succeeded  ⇔ no error at all, and canonicalNetworkXml = the dump.
// VIRTWALL_SEED / VIRTWALL_RUNS vary the sample; a failure prints the XML.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalNetworkXml } from '../../shared/libvirt/canonicalNetworkXml.ts';
import { parseNetworkXml } from '../../shared/libvirt/parseNetworkXml.ts';
import type { NetworkProblem } from '../../shared/libvirt/networkProblem.ts';
import { validateNetwork } from '../../shared/libvirt/validateNetwork.ts';
import { validateProject } from '../../shared/libvirt/validateProject.ts';
import { randomNetworkPair, randomNetworkXml } from './randomNetworkXml.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tool = process.env.VIRTWALL_LIBVIRT_CAPTURE ?? resolve(repo, 'test', 'reality', 'tools', 'libvirt-capture.sh');

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  if (!existsSync(tool)) return `capture tool not found at ${tool} (set VIRTWALL_LIBVIRT_CAPTURE)`;
  for (const bin of ['/usr/sbin/libvirtd', '/usr/bin/virsh', '/usr/sbin/dnsmasq']) if (!existsSync(bin)) return `${bin} not installed`;
  return null;
}

const reason = missing();
if (reason && process.env.CI === 'true') throw new Error(`libvirt reality test cannot run in CI: ${reason}`);

interface StepResult {
  step: string;
  rc: number;
  output: string;
}

/** Runs the capture tool with these steps; one result per step, in order ("----- step: X" … "rc=N"). */
function capture(dir: string, plan: string[]): StepResult[] {
  const transcript = execFileSync(tool, ['-S', plan.join(';'), dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 540_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: StepResult[] = [];
  const re = /^----- step: (.+)\n([\s\S]*?)^rc=(\d+)$/gm;
  for (let m = re.exec(transcript); m; m = re.exec(transcript)) out.push({ step: m[1], rc: Number(m[3]), output: m[2] });
  if (out.length !== plan.length || out.some((r, i) => r.step !== plan[i])) throw new Error(`capture transcript does not match the plan:\n${transcript.slice(-3000)}`);
  return out;
}

/** libvirt 9.0 has a doubled space in "bad prefix … when  checking"; 11.3 fixed it. */
/** Also: a uuid libvirt generated cannot be known in advance, virtwall says so instead. */
const squeeze = (s: string) => s.replace(/ {2,}/g, ' ').replace(/uuid (?:[0-9a-f-]{36}|\(generated when it was defined\))/g, 'uuid U');

/** The libvirt message of a failed virsh command, without virsh's "error:" lines and category prefix. */
function libvirtMessage(output: string): string {
  const lines = output.split('\n').filter((l) => l.startsWith('error: '));
  const last = (lines[lines.length - 1] ?? '').slice('error: '.length);
  return squeeze(last.replace(/^(internal error|XML error|unsupported configuration|operation failed|Requested operation is not valid): /, ''));
}

/** Compares libvirt's define and start results for one file with virtwall's problems; returns disagreements. */
function compareVerdict(define: StepResult, start: StepResult, problems: NetworkProblem[]): string | null {
  const errors = problems.filter((p) => p.severity === 'error');
  if (define.rc !== 0) {
    const message = libvirtMessage(define.output);
    return errors.some((e) => e.when === 'define' && squeeze(e.message).includes(message)) ? null : `libvirt refused the definition: ${message}`;
  }
  if (errors.some((e) => e.when === 'define')) return 'libvirt defined it, virtwall says define fails';
  if (start.rc !== 0) {
    const message = libvirtMessage(start.output);
    // This machine's kernel may lack the sfq qdisc libvirt uses for <bandwidth>: not a libvirt rule.
    if (message.includes('Specified qdisc kind is unknown')) return null;
    // A missing tftp root makes dnsmasq exit 3: virtwall cannot see the host's disk and warns instead.
    if (/dnsmasq .*unexpected exit status 3/.test(message) && problems.some((p) => p.message.startsWith('tftp root'))) return null;
    return errors.some((e) => e.when === 'start' && squeeze(e.message).includes(message)) ? null : `libvirt could not start it: ${message}`;
  }
  return errors.length > 0 ? 'libvirt started it, virtwall reports errors' : null;
}

describe.skipIf(reason !== null)(`real libvirt agrees with virtwall on random networks${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('define, start and dumpxml verdicts match validateNetwork and canonicalNetworkXml', () => {
    const seed = Number(process.env.VIRTWALL_SEED ?? 20260611);
    const runs = Number(process.env.VIRTWALL_RUNS ?? 100);
    const xmls = fc.sample(randomNetworkXml(), { seed, numRuns: runs }).map((build, i) => build(`rt${i}`));
    const dir = mkdtempSync(join(tmpdir(), 'vw-libvirt-xml-'));
    try {
      xmls.forEach((xml, i) => writeFileSync(join(dir, `n${i}.xml`), xml));
      const plan = xmls.flatMap((_, i) => [`define:n${i}`, `start:rt${i}`, `dumpxml-inactive:rt${i}`, `destroy:rt${i}`, `undefine:rt${i}`]);
      const results = capture(dir, plan);
      const disagreements: string[] = [];
      const tally = { refused: 0, startFailed: 0, started: 0 };
      xmls.forEach((xml, i) => {
        const [define, start, dump] = results.slice(i * 5, i * 5 + 3);
        tally[define.rc !== 0 ? 'refused' : start.rc !== 0 ? 'startFailed' : 'started']++;
        const problems = validateNetwork(parseNetworkXml(xml));
        const say = (what: string) => disagreements.push(`n${i}: ${what}\n${xml}\nvirtwall: ${JSON.stringify(problems.filter((p) => p.severity === 'error'))}`);
        const verdict = compareVerdict(define, start, problems);
        if (verdict) return say(verdict);
        if (define.rc !== 0) return;
        const uuid = /<uuid>([^<]+)<\/uuid>/.exec(dump.output)?.[1] ?? '';
        const mac = /<mac address='([^']+)'/.exec(dump.output)?.[1] ?? '';
        const canonical = canonicalNetworkXml(xml, { usedBridgeNames: [], newUuid: () => uuid, newMac: () => mac }).xml;
        if (canonical !== dump.output.replace(/\n+$/, '\n')) say(`canonical form differs:\n--- libvirt\n${dump.output}--- virtwall\n${canonical}`);
      });
      // Both verdicts must actually occur, or the comparison proves little.
      expect(tally.refused, JSON.stringify(tally)).toBeGreaterThan(0);
      expect(tally.started, JSON.stringify(tally)).toBeGreaterThan(0);
      console.log(`libvirt verdicts over ${runs} networks (seed ${seed}): ${JSON.stringify(tally)}`);
      expect(disagreements.join('\n\n')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('two networks defined and started one after the other: validateProject agrees (names, uuids, bridges, subnets)', () => {
    const seed = Number(process.env.VIRTWALL_SEED ?? 20260611);
    const runs = Number(process.env.VIRTWALL_RUNS ?? 100);
    const pairs = fc.sample(randomNetworkPair(), { seed, numRuns: runs }).map((build, i) => build(`pr${i}`));
    const dir = mkdtempSync(join(tmpdir(), 'vw-libvirt-pair-'));
    try {
      const plan: string[] = [];
      pairs.forEach((pair, i) => {
        pair.xml.forEach((xml, k) => writeFileSync(join(dir, `p${i}${k}.xml`), xml));
        plan.push(`define:p${i}0`, `start:${pair.names[0]}`, `define:p${i}1`, `start:${pair.names[1]}`);
        for (const name of new Set(pair.names)) plan.push(`destroy:${name}`, `undefine:${name}`);
      });
      const results = capture(dir, plan);
      const disagreements: string[] = [];
      const tally = { secondRefused: 0, secondStartFailed: 0, bothStarted: 0 };
      let at = 0;
      pairs.forEach((pair, i) => {
        const [d0, s0, d1, s1] = results.slice(at, at + 4);
        at += 4 + 2 * new Set(pair.names).size;
        const [p0, p1] = validateProject(pair.xml.map((text) => ({ text })));
        for (const [k, verdict] of [compareVerdict(d0, s0, p0), compareVerdict(d1, s1, p1)].entries()) {
          if (verdict) disagreements.push(`pair ${i}, network ${k + 1}: ${verdict}\n${pair.xml.join('')}\nvirtwall: ${JSON.stringify([p0, p1])}`);
        }
        if (d0.rc === 0 && s0.rc === 0) tally[d1.rc !== 0 ? 'secondRefused' : s1.rc !== 0 ? 'secondStartFailed' : 'bothStarted']++;
      });
      expect(tally.secondRefused * tally.secondStartFailed * tally.bothStarted, JSON.stringify(tally)).toBeGreaterThan(0);
      console.log(`libvirt verdicts over ${runs} pairs (seed ${seed}): ${JSON.stringify(tally)}`);
      expect(disagreements.join('\n\n')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
