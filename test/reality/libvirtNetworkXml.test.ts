// Differential test against the real libvirt of this machine (9.0 on Debian 12):
// random network definitions, near-valid on purpose, go through
//   virsh net-define → net-start → net-dumpxml --inactive
// in a throwaway libvirtd (../shared/tools/libvirt-capture.sh: own network and
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
import { validateNetwork } from '../../shared/libvirt/validateNetwork.ts';
import { randomNetworkXml } from './randomNetworkXml.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tool = process.env.VIRTWALL_LIBVIRT_CAPTURE ?? resolve(repo, '..', 'shared', 'tools', 'libvirt-capture.sh');

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  if (!existsSync(tool)) return `capture tool not found at ${tool} (set VIRTWALL_LIBVIRT_CAPTURE)`;
  for (const bin of ['/usr/sbin/libvirtd', '/usr/bin/virsh', '/usr/sbin/dnsmasq']) if (!existsSync(bin)) return `${bin} not installed`;
  return null;
}

const reason = missing();
if (reason && process.env.CI === 'true') throw new Error(`libvirt reality test cannot run in CI: ${reason}`);

interface StepResult {
  rc: number;
  output: string;
}

/** Splits the capture transcript into its steps ("----- step: X" … "rc=N"). */
function steps(transcript: string): Map<string, StepResult> {
  const out = new Map<string, StepResult>();
  const re = /^----- step: (.+)\n([\s\S]*?)^rc=(\d+)$/gm;
  for (let m = re.exec(transcript); m; m = re.exec(transcript)) out.set(m[1], { rc: Number(m[3]), output: m[2] });
  return out;
}

/** The libvirt message of a failed virsh command, without virsh's "error:" lines and category prefix. */
/** libvirt 9.0 has a doubled space in "bad prefix … when  checking"; 11.3 fixed it. */
const squeeze = (s: string) => s.replace(/ {2,}/g, ' ');

function libvirtMessage(output: string): string {
  const lines = output.split('\n').filter((l) => l.startsWith('error: '));
  const last = (lines[lines.length - 1] ?? '').slice('error: '.length);
  return squeeze(last.replace(/^(internal error|XML error|unsupported configuration|operation failed|Requested operation is not valid): /, ''));
}

describe.skipIf(reason !== null)(`real libvirt agrees with virtwall on random networks${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('define, start and dumpxml verdicts match validateNetwork and canonicalNetworkXml', () => {
    const seed = Number(process.env.VIRTWALL_SEED ?? 20260611);
    const runs = Number(process.env.VIRTWALL_RUNS ?? 100);
    const xmls = fc.sample(randomNetworkXml(), { seed, numRuns: runs }).map((build, i) => build(`rt${i}`));
    const dir = mkdtempSync(join(tmpdir(), 'vw-libvirt-xml-'));
    try {
      xmls.forEach((xml, i) => writeFileSync(join(dir, `n${i}.xml`), xml));
      const plan = xmls.map((_, i) => `define:n${i};start:rt${i};dumpxml-inactive:rt${i};destroy:rt${i};undefine:rt${i}`).join(';');
      const transcript = execFileSync(tool, ['-S', plan, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 540_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const results = steps(transcript);
      const disagreements: string[] = [];
      const tally = { refused: 0, startFailed: 0, started: 0 };
      xmls.forEach((xml, i) => {
        const define = results.get(`define:n${i}`);
        const start = results.get(`start:rt${i}`);
        const dump = results.get(`dumpxml-inactive:rt${i}`);
        if (!define || !start || !dump) throw new Error(`capture transcript lacks the steps of n${i}:\n${transcript.slice(-2000)}`);
        const problems = validateNetwork(parseNetworkXml(xml));
        const errors = problems.filter((p) => p.severity === 'error');
        const say = (what: string) => disagreements.push(`n${i}: ${what}\n${xml}\nvirtwall: ${JSON.stringify(errors)}`);
        tally[define.rc !== 0 ? 'refused' : start.rc !== 0 ? 'startFailed' : 'started']++;
        if (define.rc !== 0) {
          const message = libvirtMessage(define.output);
          if (!errors.some((e) => e.when === 'define' && squeeze(e.message).includes(message))) say(`libvirt refused the definition: ${message}`);
          return;
        }
        if (errors.some((e) => e.when === 'define')) return say('libvirt defined it, virtwall says define fails');
        if (start.rc !== 0) {
          const message = libvirtMessage(start.output);
          if (!errors.some((e) => e.when === 'start' && squeeze(e.message).includes(message))) say(`libvirt could not start it: ${message}`);
        } else if (errors.length > 0) say('libvirt started it, virtwall reports errors');
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
});
