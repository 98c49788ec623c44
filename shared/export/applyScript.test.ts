// apply.sh's logic with recording stand-ins for virsh, ip, nft and the
// iptables tools (first on PATH): what it runs, in which order, with which
// arguments, for check-only, apply + keep, no confirmation (rollback), a
// confirmation from a second process, and a failing step. Sysctls are skipped
// here (they would be real /proc writes); the reality suite runs the script
// for real inside network namespaces.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cloneJson } from '../json/cloneJson.ts';
import { SAMPLE_VARIANT_NAMES } from '../lab/sampleLab.ts';
import { buildExportBundle } from './buildExportBundle.ts';
import { FIXED_IDS, fixtureEffectiveHost, sampleVariant } from '../../test/testkit/exportFixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'vw-apply-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FAKE = String.raw`#!/bin/sh
name=$(basename "$0")
{ printf '%s' "$name"; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\n'; } >> "$FAKE_LOG"
case "$name:$*" in
  *--version*) echo "$name v1.8.9 (legacy)" ;;
  virsh:*net-uuid*) exit 1 ;;
  virsh:*net-info*) printf 'Name: x\nActive:         no\nAutostart:      no\n' ;;
  *-save:*) printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j SAVED\nCOMMIT\n' ;;
  nft:list*) printf 'table inet foreign\n' ;;
  *-restore:*) cat > /dev/null; [ -n "$FAKE_FAIL_RESTORE" ] && [ "$1" != --test ] && [ ! -e "$FAKE_FAILED_ONCE" ] && { : > "$FAKE_FAILED_ONCE"; echo "iptables-restore: line 7 failed" >&2; exit 1; } ;;
esac
exit 0
`;

function fakeBin(): string {
  const bin = join(root, 'bin');
  if (existsSync(bin)) return bin;
  mkdirSync(bin);
  writeFileSync(join(bin, 'fake'), FAKE);
  chmodSync(join(bin, 'fake'), 0o755);
  for (const tool of ['virsh', 'virt-xml-validate', 'ip', 'nft', 'iptables-legacy-restore', 'iptables-legacy-save', 'ip6tables-legacy-restore', 'ip6tables-legacy-save']) symlinkSync(join(bin, 'fake'), join(bin, tool));
  return bin;
}

let n = 0;
let dir = '';
let log = '';
beforeEach(() => {
  n++;
  dir = join(root, `bundle${n}`);
  log = join(root, `log${n}`);
  const v = sampleVariant(SAMPLE_VARIANT_NAMES.routedSuSEfirewall2);
  const lab = cloneJson(v.lab);
  lab.networks[0].xml = lab.networks[0].xml.replace('<name>deb</name>', "<name>-deb $(touch PWNED)'</name>");
  const bundle = buildExportBundle(lab, fixtureEffectiveHost(), { variantName: v.name, ...FIXED_IDS, confirmSeconds: 2 });
  for (const f of bundle.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.text);
  }
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: `${fakeBin()}:/usr/bin:/bin`, FAKE_LOG: log, FAKE_FAIL_RESTORE: '', FAKE_FAILED_ONCE: join(root, `failed${n}`), TMPDIR: root, ...extra };
}

function runApply(args: string[], extra: Record<string, string> = {}): { status: number | null; out: string } {
  const r = spawnSync('sh', ['apply.sh', ...args], { cwd: dir, env: env(extra), encoding: 'utf8', input: '', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const calls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
const hostileName = "[-deb $(touch PWNED)']";

describe('apply.sh', () => {
  it('--check-only runs every check, passes names as single arguments, and changes nothing', () => {
    const r = runApply(['--check-only']);
    expect(r.out).toContain('all checks passed');
    expect(r.status).toBe(0);
    const c = calls();
    expect(c).toContain('virt-xml-validate [networks/-deb%20%24%28touch%20PWNED%29%27.xml] [network]');
    expect(c).toContain(`virsh [-q] [net-uuid] [--network] ${hostileName}`);
    expect(c).toContain('iptables-legacy-restore [--test]');
    expect(c).toContain('ip6tables-legacy-restore [--test]');
    expect(c).toContain('nft [-c] [-f] [firewall/nftables.nft]');
    expect(c.some((l) => /net-define|net-start| route replace|^iptables-legacy-restore$/.test(l))).toBe(false);
    expect(r.out).toContain('nft table inet foreign exists on this host but not in the simulated variant');
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it('stops before changing anything when the bundle was edited', () => {
    writeFileSync(join(dir, 'firewall/iptables-legacy.rules'), '*filter\nCOMMIT\n');
    const r = runApply(['--yes']);
    expect(r.status).toBe(1);
    expect(r.out).toContain('the bundle is damaged or was edited');
    expect(calls().some((l) => l.includes('net-define'))).toBe(false);
  });

  it('--yes saves, then defines and starts the network, sets routes and loads the rules, in that order', () => {
    const state = join(root, `state${n}`);
    const r = runApply(['--yes', '--skip-sysctl', '--state-dir', state]);
    expect(r.status, r.out).toBe(0);
    const c = calls();
    const at = (pattern: RegExp): number => c.findIndex((l) => pattern.test(l));
    expect(at(/^iptables-legacy-save$/)).toBeGreaterThan(at(/^nft \[-c\]/));
    expect(at(/net-define\] \[--file\] \[networks\//)).toBeGreaterThan(at(/^iptables-legacy-save$/));
    expect(c).toContain(`virsh [net-start] [--network] ${hostileName}`);
    expect(c).toContain(`virsh [net-autostart] [--network] ${hostileName}`);
    expect(at(/^ip \[-4\] \[route\] \[replace\] \[default\] \[via\] \[192\.168\.90\.1\] \[dev\] \[eth1\]$/)).toBeGreaterThan(at(/net-start/));
    expect(at(/^iptables-legacy-restore$/)).toBeGreaterThan(at(/route\] \[replace/));
    expect(at(/^nft \[-f\] \[firewall\/nftables\.nft\]$/)).toBeGreaterThan(at(/^iptables-legacy-restore$/));
    expect(readFileSync(join(state, 'ipt-1.save'), 'utf8')).toContain('-A INPUT -j SAVED');
    // Tables the bundle replaces but the host did not have are saved as empty, so a rollback empties them.
    expect(readFileSync(join(state, 'ipt-1.save'), 'utf8')).toContain('*nat\n:PREROUTING ACCEPT [0:0]');
    expect(existsSync(join(state, 'kept'))).toBe(true);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
  });

  it('rolls everything back when nobody confirms in time', () => {
    const state = join(root, `state${n}`);
    const r = runApply(['--skip-sysctl', '--confirm-timeout', '1', '--state-dir', state]);
    expect(r.status, r.out).toBe(3);
    expect(r.out).toContain('no confirmation within 1 seconds');
    const c = calls();
    const afterApply = c.slice(c.findIndex((l) => /^nft \[-f\] \[firewall/.test(l)) + 1);
    expect(afterApply).toContain(`virsh [net-destroy] [--network] ${hostileName}`);
    expect(afterApply).toContain(`virsh [net-undefine] [--network] ${hostileName}`);
    expect(afterApply).toContain('ip [-4] [route] [del] [default] [via] [192.168.90.1] [dev] [eth1]');
    expect(afterApply).toContain('iptables-legacy-restore');
    expect(afterApply).toContain('nft [-f] [-]');
    expect(existsSync(join(state, 'rolled-back'))).toBe(true);
  });

  it('keeps the changes when confirmed from a second process', async () => {
    const state = join(root, `state${n}`);
    const child = spawn('sh', ['apply.sh', '--skip-sysctl', '--confirm-timeout', '20', '--state-dir', state], { cwd: dir, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(join(state, 'pending')) && out.includes('Type yes')) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
    const confirm = runApply(['--confirm', state]);
    expect(confirm.status).toBe(0);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('kept. To undo later: sh apply.sh --rollback');
    expect(calls().some((l) => l.includes('net-undefine'))).toBe(false);
  });

  it('rolls back at once when a step fails while applying', () => {
    const r = runApply(['--yes', '--skip-sysctl'], { FAKE_FAIL_RESTORE: '1' });
    expect(r.status, r.out).toBe(4);
    expect(r.out).toContain('applying failed');
    expect(r.out).toContain('rolled back');
    expect(calls()).toContain(`virsh [net-undefine] [--network] ${hostileName}`);
  });

  it('refuses unknown options with the usage text', () => {
    const r = runApply(['--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.out).toContain('unknown option --frobnicate');
    expect(r.out).toContain('Usage: sh apply.sh');
  });
});
