// Upload over SSH against a real OpenSSH server (Debian's openssh-server):
// started here on 127.0.0.1 and a free port with a throwaway host key, a
// throwaway client key and its own sshd_config in a temp folder; stopped by
// its pid. Root: sshd needs it to switch to the logging-in user.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExportBundle } from '../../shared/export/buildExportBundle.ts';
import { FIXED_IDS, fixtureEffectiveHost, sampleVariant } from '../testkit/exportFixtures.ts';
import { SAMPLE_VARIANT_NAMES } from '../../shared/lab/sampleLab.ts';
import { ExportWriteError } from '../../electron/main/services/exportWriter/exportWriteError.ts';
import { parseSshTarget } from '../../electron/main/services/exportWriter/sshTarget.ts';
import { uploadBundleOverSsh, type SshUploadOptions } from '../../electron/main/services/exportWriter/sshUpload.ts';
import { realitySkipReason } from './netns/realityGuard.ts';

const skip = realitySkipReason(['/usr/sbin/sshd', 'ssh', 'ssh-keygen', 'tar', 'sha256sum']);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not listen on ${port} within ${ms} ms`);
}

describe.skipIf(skip !== null)('export over SSH to a real OpenSSH server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vw-ssh-test-'));
  let sshd: ChildProcess | null = null;
  let port = 0;
  let sshdLog = '';
  const bundle = (() => {
    const v = sampleVariant(SAMPLE_VARIANT_NAMES.routedSuSEfirewall2);
    return buildExportBundle(v.lab, fixtureEffectiveHost(), { variantName: v.name, ...FIXED_IDS });
  })();
  const options = (): SshUploadOptions => ({ identityFile: join(dir, 'client'), knownHostsFile: join(dir, 'known_hosts'), sshConfigFile: join(dir, 'ssh_config'), sshOptions: ['StrictHostKeyChecking=yes'] });
  const remote = join(dir, 'remote');

  beforeAll(async () => {
    port = await freePort();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'stranger')]);
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
    writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host.pub'), 'utf8')}`);
    writeFileSync(join(dir, 'ssh_config'), '');
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        '',
      ].join('\n'),
    );
    // Debian's sshd refuses to start without its privilege separation directory (made by its unit normally).
    if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755 });
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr?.on('data', (d: Buffer) => (sshdLog += d.toString()));
    await waitForPort(port, 10_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}: ${sshdLog}`);
    });
    mkdirSync(remote);
  });

  afterAll(() => {
    if (sshd?.pid) process.kill(sshd.pid, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a dry run lists the files and the steps and does not connect', async () => {
    const result = await uploadBundleOverSsh(bundle, parseSshTarget(`ssh://root@127.0.0.1:${port}${remote}/dry`), { ...options(), dryRun: true, runCheck: true });
    expect(result.files.map((f) => f.path)).toEqual(bundle.files.map((f) => f.path));
    expect(result.steps.join('\n')).toMatch(/tar stream over ssh to root@127\.0\.0\.1:.*\/dry[\s\S]*sh apply\.sh --check-only/);
    expect(existsSync(join(remote, 'dry'))).toBe(false);
  });

  it('uploads every file intact, atomically, and refuses to replace without being asked', async () => {
    const target = parseSshTarget(`ssh://root@127.0.0.1:${port}${remote}/kvm-host`);
    const result = await uploadBundleOverSsh(bundle, target, options());
    for (const f of bundle.files) expect(readFileSync(join(remote, 'kvm-host', f.path), 'utf8')).toBe(f.text);
    expect(result.files).toHaveLength(bundle.files.length);
    expect(readdirSync(remote)).toEqual(['kvm-host']);
    const again = await uploadBundleOverSsh(bundle, target, options()).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ExportWriteError);
    expect((again as ExportWriteError).code).toBe('EEXIST');
    expect((again as Error).message).toContain('already exists on the host');
    writeFileSync(join(remote, 'kvm-host', 'stale.txt'), 'x');
    await uploadBundleOverSsh(bundle, target, { ...options(), overwrite: true });
    expect(existsSync(join(remote, 'kvm-host', 'stale.txt'))).toBe(false);
    expect(readdirSync(remote)).toEqual(['kvm-host']);
  });

  it('runs the check step on the host and reports its output', async () => {
    const result = await uploadBundleOverSsh(bundle, parseSshTarget(`ssh://root@127.0.0.1:${port}${remote}/checked`), { ...options(), runCheck: true, checkArgs: ['--skip-networks'] });
    expect(result.check?.output).toContain('ok: every file matches SHA256SUMS');
    expect(result.check?.output).toMatch(/ok: iptables-legacy-restore --test < firewall\/iptables-legacy\.rules/);
    expect(result.check?.exitCode).toBe(0);
  });

  it('a key the host does not know fails at once with ssh\'s reason (no password prompt)', async () => {
    const error = await uploadBundleOverSsh(bundle, parseSshTarget(`ssh://root@127.0.0.1:${port}${remote}/denied`), { ...options(), identityFile: join(dir, 'stranger') }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Permission denied \(publickey\)/);
    expect(existsSync(join(remote, 'denied'))).toBe(false);
  });

  it('a hostile path is a folder name on the host, never a command', async () => {
    const hostile = `${remote}/$(touch ${remote}/PWNED); x 'y`;
    await uploadBundleOverSsh(bundle, parseSshTarget(`ssh://root@127.0.0.1:${port}${hostile}`), options());
    expect(existsSync(join(hostile, 'apply.sh'))).toBe(true);
    expect(existsSync(join(remote, 'PWNED'))).toBe(false);
  });
});
