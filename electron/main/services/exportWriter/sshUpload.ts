// Upload a bundle to a host with the system's OpenSSH (issue 7 §3): keys or
// the agent only (BatchMode=yes: ssh never asks for a password, and none is
// stored). The bundle is staged locally with the atomic folder writer, sent as
// one tar stream over one ssh connection, unpacked into a temporary folder
// next to the target on the host, checked there with `sha256sum -c`, and
// renamed into place — so the host never holds half a bundle under the
// target name. Optionally `sh apply.sh --check-only` runs there afterwards.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportBundle } from '../../../../shared/export/bundleTypes.ts';
import { shQuoteAlways } from '../../../../shared/export/shellQuote.ts';
import { ExportWriteError } from './exportWriteError.ts';
import { sshDestination, type SshTarget } from './sshTarget.ts';
import { plannedFiles, writeBundleFolder, type WrittenFile } from './writeBundleFolder.ts';

export interface SshUploadOptions {
  overwrite?: boolean;
  dryRun?: boolean;
  /** Run `sh apply.sh --check-only ARGS` on the host after the upload. */
  runCheck?: boolean;
  checkArgs?: string[];
  identityFile?: string;
  knownHostsFile?: string;
  /** ssh -F FILE (tests pass an empty one so the user's ~/.ssh/config cannot interfere). */
  sshConfigFile?: string;
  /** More `-o Key=Value` options for ssh. */
  sshOptions?: string[];
  sshProgram?: string;
  timeoutMs?: number;
}

export interface SshUploadResult {
  files: WrittenFile[];
  /** What runs (or would run, for a dry run) on the host, for the report. */
  steps: string[];
  check?: { exitCode: number; output: string };
}

function sshArgs(target: SshTarget, o: SshUploadOptions): string[] {
  const args = o.sshConfigFile ? ['-F', o.sshConfigFile] : [];
  args.push('-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15');
  if (target.port) args.push('-p', String(target.port));
  if (o.identityFile) args.push('-i', o.identityFile, '-o', 'IdentitiesOnly=yes');
  if (o.knownHostsFile) args.push('-o', `UserKnownHostsFile=${o.knownHostsFile}`);
  for (const opt of o.sshOptions ?? []) args.push('-o', opt);
  return [...args, '--', sshDestination(target)];
}

/** The remote program: unpack stdin into a temp folder, verify, rename into place. */
export function remoteUnpackScript(path: string, overwrite: boolean): string {
  const t = shQuoteAlways(path);
  return [
    'set -eu',
    'umask 022',
    `target=${t}`,
    overwrite ? ':' : 'if [ -e "$target" ]; then echo "virtwall: $target already exists on the host; choose another path or allow replacing it" >&2; exit 17; fi',
    'mkdir -p "$(dirname "$target")"',
    'tmp=$(mktemp -d "$target.virtwall-XXXXXX")',
    'trap \'rm -rf "$tmp"\' EXIT',
    'tar -x -f - -C "$tmp"',
    '(cd "$tmp" && sha256sum -c --quiet SHA256SUMS) || { echo "virtwall: the uploaded files do not match SHA256SUMS" >&2; exit 18; }',
    'sync',
    'if [ -e "$target" ]; then mv "$target" "$tmp.old"; fi',
    'mv "$tmp" "$target"',
    'trap - EXIT',
    'rm -rf "$tmp.old"',
  ].join('\n');
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function runPiped(producer: { cmd: string; args: string[] } | null, consumer: { cmd: string; args: string[] }, timeoutMs: number): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(consumer.cmd, consumer.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new ExportWriteError(`cannot run ${consumer.cmd}: ${e.message} (is OpenSSH installed?)`, 'ENOENT'));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? 255, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    if (producer) {
      const source = spawn(producer.cmd, producer.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      source.on('error', (e) => reject(new ExportWriteError(`cannot run ${producer.cmd}: ${e.message}`, 'ENOENT')));
      source.stdout.pipe(child.stdin);
    } else child.stdin.end();
  });
}

export async function uploadBundleOverSsh(bundle: ExportBundle, target: SshTarget, options: SshUploadOptions = {}): Promise<SshUploadResult> {
  const where = `${sshDestination(target)}:${target.path}`;
  const steps = [
    `upload ${bundle.files.length} files as one tar stream over ssh to ${where} (BatchMode: keys or agent only)`,
    `on the host: unpack into a temporary folder next to ${target.path}, check SHA256SUMS, rename into place${options.overwrite ? ' (replacing what is there)' : ' (refused if it exists)'}`,
  ];
  if (options.runCheck) steps.push(`on the host: cd ${target.path} && sh apply.sh --check-only ${(options.checkArgs ?? []).join(' ')}`.trimEnd());
  if (options.dryRun) return { files: plannedFiles(bundle), steps };

  const ssh = options.sshProgram ?? 'ssh';
  const timeoutMs = options.timeoutMs ?? 120_000;
  const staging = await mkdtemp(join(tmpdir(), 'virtwall-upload-'));
  try {
    const local = join(staging, 'bundle');
    const files = await writeBundleFolder(bundle, local);
    const upload = await runPiped({ cmd: 'tar', args: ['-C', local, '-c', '-f', '-', '.'] }, { cmd: ssh, args: [...sshArgs(target, options), `sh -c ${shQuoteAlways(remoteUnpackScript(target.path, !!options.overwrite))}`] }, timeoutMs);
    if (upload.code !== 0) {
      const why = upload.stderr.trim() || `ssh exited with ${upload.code}`;
      const code = upload.code === 17 ? 'EEXIST' : upload.code === 255 ? 'ECONNREFUSED' : 'EIO';
      throw new ExportWriteError(`upload to ${where} failed: ${why}`, code);
    }
    const result: SshUploadResult = { files, steps };
    if (options.runCheck) {
      const args = (options.checkArgs ?? []).map(shQuoteAlways).join(' ');
      const check = await runPiped(null, { cmd: ssh, args: [...sshArgs(target, options), `cd ${shQuoteAlways(target.path)} && sh apply.sh --check-only ${args}`.trimEnd()] }, timeoutMs);
      result.check = { exitCode: check.code, output: `${check.stdout}${check.stderr}` };
    }
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
