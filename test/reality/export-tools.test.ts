// Every file of exported bundles read by the real tool that will read it on
// the host (issue 7 §5):
//   - networks/*.xml: virt-xml-validate, and real libvirt 9.0 (a throwaway
//     libvirtd in its own network + mount namespaces, via
//     test/reality/tools/libvirt-capture.sh) defines and starts them — through
//     apply.sh itself, which checks, saves, net-defines, net-starts and loads
//     the rules there;
//   - firewall/*.rules: iptables(-legacy|-nft)-restore --test, then loaded for
//     real, and firewall/nftables.nft: nft -c -f, then nft -f — inside a
//     throwaway namespace holding the interfaces the rules name.
// Bundles: the four sample variants, generated labs (fixed seeds) and a
// libvirt 11.3 nftables-backend host.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cloneJson } from '../../shared/json/cloneJson.ts';
import type { Lab } from '../../shared/lab/labModel.ts';
import { sampleProjectVariants } from '../../shared/lab/sampleLab.ts';
import type { ExportBundle } from '../../shared/export/bundleTypes.ts';
import { buildExportBundle } from '../../shared/export/buildExportBundle.ts';
import { effectiveHostForExport } from '../../shared/export/effectiveHostForExport.ts';
import { FIXED_IDS } from '../testkit/exportFixtures.ts';
import { foldTimeline } from '../../shared/layers/timeline/foldTimeline.ts';
import { writeBundleFolder } from '../../electron/main/services/exportWriter/writeBundleFolder.ts';
import { generateLab } from './lab/generatedLabs.ts';
import { NetnsLab } from './netns/netnsLab.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const captureTool = process.env.VIRTWALL_LIBVIRT_CAPTURE ?? resolve(repo, 'test', 'reality', 'tools', 'libvirt-capture.sh');
const skip = realitySkipReason(['ip', 'iptables-legacy-restore', 'iptables-nft-restore', 'nft', 'virt-xml-validate', 'sha256sum', '/usr/sbin/libvirtd', 'virsh', 'dnsmasq']);
const skipLibvirt = skip ?? (existsSync(captureTool) ? null : `capture tool not found at ${captureTool} (set VIRTWALL_LIBVIRT_CAPTURE)`);
if (skipLibvirt && !skip && process.env.CI === 'true') throw new Error(`export reality test cannot run in CI: ${skipLibvirt}`);

const scratch = mkdtempSync(join(tmpdir(), 'vw-export-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function nftablesHost(): { name: string; lab: Lab } {
  const nat = sampleProjectVariants().find((v) => v.name === 'NAT');
  if (!nat) throw new Error('no NAT sample');
  const lab = cloneJson(nat.lab);
  lab.host.libvirt = { version: '11.3', backend: 'nftables' };
  lab.host.iptablesBackend = 'nft';
  return { name: 'NAT on libvirt 11.3 (nftables backend)', lab };
}

const variants: { name: string; lab: Lab }[] = [
  ...sampleProjectVariants(),
  nftablesHost(),
  ...[3, 7, 11, 19, 23, 42].map((seed) => ({ name: `generated lab ${seed}`, lab: generateLab(seed).lab })),
];

async function bundleOf(v: { name: string; lab: Lab }): Promise<{ dir: string; bundle: ExportBundle }> {
  const bundle = buildExportBundle(v.lab, effectiveHostForExport(foldTimeline(v.lab)), { variantName: v.name, ...FIXED_IDS });
  const dir = join(scratch, v.name.replace(/\W+/g, '-'));
  if (!existsSync(dir)) await writeBundleFolder(bundle, dir);
  return { dir, bundle };
}

/** Interfaces the rules may name (nft resolves iif/oif when loading). */
function interfacesOf(lab: Lab, bundle: ExportBundle): string[] {
  const names = new Set(lab.host.interfaces.map((i) => i.name).filter((n) => n !== 'lo'));
  for (const f of bundle.files.filter((x) => x.path.startsWith('networks/'))) {
    const m = /<bridge name='([^']+)'/.exec(f.text);
    if (m) names.add(m[1]);
  }
  return [...names];
}

describe.skipIf(skip !== null)('exported files pass the real tools', () => {
  let lab: NetnsLab | null = null;
  afterEach(async () => {
    await lab?.destroy();
    lab = null;
  });

  for (const v of variants) {
    it(`${v.name}: virt-xml-validate, iptables-restore --test and load, nft -c -f and load`, async () => {
      const { dir, bundle } = await bundleOf(v);
      for (const f of bundle.files.filter((x) => x.path.startsWith('networks/'))) {
        execFileSync('virt-xml-validate', [join(dir, f.path), 'network'], { stdio: 'pipe' });
      }
      lab = new NetnsLab('expt');
      const ns = await lab.addNamespace('h');
      for (const name of interfacesOf(v.lab, bundle)) await lab.execOk(ns, ['ip', 'link', 'add', name, 'type', 'bridge']); // no dummy driver on every kernel
      const rules = bundle.files.filter((f) => f.path.startsWith('firewall/'));
      expect(rules.length).toBeGreaterThan(0);
      for (const f of rules) {
        const file = join(dir, f.path);
        if (f.path.endsWith('.nft')) {
          await lab.execOk(ns, ['nft', '-c', '-f', file]);
          await lab.execOk(ns, ['nft', '-f', file]);
          // Loading twice replaces, never duplicates: the add/delete table idiom.
          await lab.execOk(ns, ['nft', '-f', file]);
        } else {
          const m = /^firewall\/(ip6?tables)-(legacy|nft)\.rules$/.exec(f.path);
          if (!m) throw new Error(`unexpected rules file ${f.path}`);
          const tool = `${m[1]}-${m[2]}-restore`;
          await lab.execOk(ns, [tool, '--test'], readFileSync(file, 'utf8'));
          await lab.execOk(ns, [tool], readFileSync(file, 'utf8'));
        }
      }
    });
  }

  describe.skipIf(skipLibvirt !== null)('with real libvirt 9.0', () => {
    for (const v of variants.filter((x) => !x.lab.host.libvirt.version.startsWith('11'))) {
      it(`${v.name}: apply.sh checks, net-defines and net-starts every network and loads the rules in a throwaway libvirtd`, async () => {
        const { dir } = await bundleOf(v);
        const netDir = join(dir, 'networks');
        // The throwaway daemon runs the network driver only: its URI is network:///system (libvirt-capture.sh).
        const applyStep = `sh:cd ${dir} && LIBVIRT_DEFAULT_URI=network:///system sh apply.sh --yes --skip-routes --state-dir ${join(dir, '.state-libvirt')} 2>&1`;
        const transcript = execFileSync(captureTool, ['-S', [applyStep, 'sh:virsh -q -c network:///system net-list --all'].join(';'), netDir], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
        const steps = [...transcript.matchAll(/^----- step: (.+)\n([\s\S]*?)^rc=(\d+)$/gm)];
        expect(steps, transcript.slice(-3000)).toHaveLength(2);
        const [apply, list] = steps;
        expect(apply[3], apply[2]).toBe('0');
        expect(apply[2]).toContain('ok: virt-xml-validate');
        expect(apply[2]).toContain('kept. To undo later');
        for (const f of readdirSync(netDir)) {
          const name = /<name>([^<]+)<\/name>/.exec(readFileSync(join(netDir, f), 'utf8'))?.[1] ?? '';
          expect(apply[2]).toContain(`network ${name}: defined from networks/${f}`);
          expect(list[2]).toMatch(new RegExp(`^\\s*${name}\\s+active`, 'm'));
        }
      });
    }
  });
});
