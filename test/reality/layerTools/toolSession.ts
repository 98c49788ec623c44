// Runs a real firewall tool from the layer tools chroot (toolRoot.ts) inside a
// throwaway network namespace and a private mount namespace, so neither the
// host's firewall nor any file outside the session changes:
//   ip netns add NS; ip netns exec NS unshare -m --propagation private sh run.sh
// run.sh mounts proc/sys/dev and tmpfs /run, /tmp into the chroot and binds
// private copies (made here, in a temp folder) over the tool's config folders
// and files (/etc/ufw, /etc/default/ufw, /lib/ufw, /etc/firewalld, …) — the
// chroot's own files stay as installed. Optional daemons (dbus, firewalld) are
// started in the background, waited for, and killed by pid when the script
// ends (trap). After every step each dump command runs and its output is kept.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ToolSessionOptions {
  root: string;
  /** Short tag for the namespace name (vw<tag><pid>x<n>). */
  tag: string;
  /** Chroot folders replaced by private writable copies. */
  privateDirs: string[];
  /** Chroot files replaced by private writable copies (must exist in the chroot). */
  privateFiles?: string[];
  /** Contents written into the private copies (path as the tool sees it). */
  files?: Record<string, string>;
  /** Files removed from the private copies (e.g. a D-Bus service that must not be activated). */
  remove?: string[];
  /** Which iptables the chroot's `iptables` is (a private /etc/alternatives decides). */
  iptables: 'nft' | 'legacy';
  /** Dummy interfaces created in the namespace before anything runs. */
  interfaces?: string[];
  daemons?: { name: string; command: string; ready: string }[];
  steps: { name: string; command: string }[];
  dumps: { name: string; command: string }[];
  /** Private config files read back after every step (files the tool writes, e.g. user.rules). */
  collect?: string[];
}

export interface ToolStep {
  name: string;
  status: number;
  output: string;
  dumps: Record<string, string>;
  /** The `collect` files after the step (undefined: absent). */
  files: Record<string, string | undefined>;
}

export interface ToolSessionResult {
  steps: ToolStep[];
  /** What the daemons printed (for failure messages). */
  daemonLog: string;
  scriptLog: string;
}

let sessions = 0;
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function privateAlternatives(altDir: string, flavour: 'nft' | 'legacy'): void {
  for (const tool of ['iptables', 'iptables-restore', 'iptables-save', 'ip6tables', 'ip6tables-restore', 'ip6tables-save']) {
    const link = join(altDir, tool);
    if (!existsSync(link) && !lstatSync(link, { throwIfNoEntry: false })) continue;
    unlinkSync(link);
    symlinkSync(`/usr/sbin/${tool.replace(/^(ip6?tables)/, `$1-${flavour}`)}`, link);
  }
}

/**
 * Processes still in the session's namespace — only ones the session started,
 * e.g. polkitd that the private dbus-daemon activated for firewalld — are
 * ended by pid (TERM, then KILL).
 */
function killNamespaceLeftovers(ns: string): void {
  const pids = (): number[] => (spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '').split(/\s+/).filter(Boolean).map(Number);
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const left = pids();
    if (left.length === 0) return;
    for (const pid of left) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    const until = Date.now() + 5000;
    while (pids().length > 0 && Date.now() < until) spawnSync('sleep', ['0.2']);
  }
}

export function runToolSession(o: ToolSessionOptions): ToolSessionResult {
  const work = mkdtempSync(join(tmpdir(), `vw-${o.tag}-`));
  const ns = `vw${o.tag}${process.pid}x${++sessions}`;
  try {
    const binds: { host: string; target: string }[] = [];
    const dirs = [...o.privateDirs, '/etc/alternatives'];
    dirs.forEach((d, i) => {
      const copy = join(work, 'priv', `d${i}`);
      mkdirSync(copy, { recursive: true });
      if (existsSync(join(o.root, d))) cpSync(join(o.root, d), copy, { recursive: true, verbatimSymlinks: true });
      else throw new Error(`${d} does not exist in ${o.root}`);
      binds.push({ host: copy, target: d });
    });
    (o.privateFiles ?? []).forEach((f, i) => {
      const copy = join(work, 'priv', `f${i}`);
      cpSync(join(o.root, f), copy);
      binds.push({ host: copy, target: f });
    });
    const hostPathOf = (path: string): string => {
      const file = binds.find((b) => b.target === path);
      if (file) return file.host;
      const dir = binds.filter((b) => path.startsWith(`${b.target}/`)).sort((a, b) => b.target.length - a.target.length)[0];
      if (!dir) throw new Error(`${path} is not inside a private folder or file of the session`);
      return join(dir.host, path.slice(dir.target.length + 1));
    };
    privateAlternatives(hostPathOf('/etc/alternatives'), o.iptables);
    for (const path of o.remove ?? []) rmSync(hostPathOf(path), { force: true });
    for (const [path, text] of Object.entries(o.files ?? {})) {
      mkdirSync(dirname(hostPathOf(path)), { recursive: true });
      writeFileSync(hostPathOf(path), text);
    }
    const out = join(work, 'out');
    mkdirSync(out);
    const R = quote(o.root);
    const lines = [
      'set -u',
      `R=${R}; W=${quote(work)}`,
      'inroot() { env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 chroot "$R" "$@"; }',
      ': > "$W/pids"',
      // Kill what this script started, by pid, whatever happens.
      'cleanup() { for p in $(cat "$W/pids"); do kill "$p" 2>/dev/null; done; for i in 1 2 3 4 5 6 7 8 9 10; do alive=""; for p in $(cat "$W/pids"); do kill -0 "$p" 2>/dev/null && alive=1; done; [ -z "$alive" ] && break; sleep 0.5; done; for p in $(cat "$W/pids"); do kill -9 "$p" 2>/dev/null; done; }',
      'trap cleanup EXIT',
      'ip link set lo up',
      ...(o.interfaces ?? []).map((i) => `ip link add ${quote(i)} type dummy && ip link set ${quote(i)} up`),
      'mount -t proc proc "$R/proc" && mount -t sysfs sysfs "$R/sys" && mount --bind /dev "$R/dev" || exit 90',
      'mount -t tmpfs vwrun "$R/run" && mount -t tmpfs vwtmp "$R/tmp" || exit 91',
      ...binds.map((b) => `mount --bind ${quote(b.host)} "$R"${quote(b.target)} || exit 92`),
    ];
    (o.daemons ?? []).forEach((d, i) => {
      // No shell function here: env, chroot and sh exec each other, so $! is the daemon's pid.
      lines.push(`env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 chroot "$R" sh -c ${quote(`exec ${d.command}`)} >> "$W/daemons.log" 2>&1 &`, 'echo $! >> "$W/pids"');
      lines.push(`n=0; until inroot sh -c ${quote(d.ready)} >/dev/null 2>&1; do n=$((n+1)); if [ $n -gt 120 ]; then echo "daemon ${d.name} not ready after 60 s" >&2; exit 9${3 + i}; fi; sleep 0.5; done`);
    });
    o.steps.forEach((s, i) => {
      lines.push(`inroot sh -c ${quote(s.command)} > "$W/out/${i}.out" 2>&1; echo $? > "$W/out/${i}.rc"`);
      o.dumps.forEach((d, j) => lines.push(`inroot sh -c ${quote(d.command)} > "$W/out/${i}.d${j}" 2>&1`));
      (o.collect ?? []).forEach((f, k) => lines.push(`cat "$R"${quote(f)} > "$W/out/${i}.c${k}" 2>/dev/null || rm -f "$W/out/${i}.c${k}"`));
    });
    writeFileSync(join(work, 'run.sh'), `${lines.join('\n')}\n`);
    const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`ip netns add ${ns}: ${add.stderr}`);
    let scriptLog = '';
    try {
      const r = spawnSync('ip', ['netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', join(work, 'run.sh')], { encoding: 'utf8', timeout: 300_000 });
      scriptLog = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
      if (r.status !== 0) throw new Error(`session script failed (status ${r.status}): ${scriptLog}\n${existsSync(join(work, 'daemons.log')) ? readFileSync(join(work, 'daemons.log'), 'utf8') : ''}`);
    } finally {
      killNamespaceLeftovers(ns);
      spawnSync('ip', ['netns', 'del', ns]);
    }
    const steps: ToolStep[] = o.steps.map((s, i) => {
      const read = (f: string): string => readFileSync(join(out, f), 'utf8');
      return {
        name: s.name,
        status: Number(read(`${i}.rc`).trim()),
        output: read(`${i}.out`),
        dumps: Object.fromEntries(o.dumps.map((d, j) => [d.name, read(`${i}.d${j}`)])),
        files: Object.fromEntries((o.collect ?? []).map((f, k) => [f, existsSync(join(out, `${i}.c${k}`)) ? read(`${i}.c${k}`) : undefined])),
      };
    });
    const daemonLog = existsSync(join(work, 'daemons.log')) ? readFileSync(join(work, 'daemons.log'), 'utf8') : '';
    return { steps, daemonLog, scriptLog };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
