// A set of network namespaces a test owns: create namespaces, veth pairs (both
// ends always inside our namespaces — never the machine's), addresses, routes,
// sysctls; run commands inside; start background processes; and tear it all
// down — on destroy(), and as a last resort when the Node process exits.
// Names are unique per process: vw<purpose><pid>x<n>… (interfaces ≤ 15 chars).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a program (no shell), optionally with stdin, killed after timeoutMs. */
export function run(argv: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A program that exits without reading stdin closes the pipe: ignore EPIPE on our side.
    child.stdin.on('error', () => {});
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

async function must(argv: string[], input?: string): Promise<string> {
  const r = await run(argv, { input, timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`${argv.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export interface VethEnd {
  ns: string;
  name: string;
  /** CIDR addresses, e.g. ['10.9.1.1/24', 'fd00:9:1::1/64']. */
  addresses?: string[];
}

const live = new Set<NetnsLab>();
let exitHookInstalled = false;
let labCounter = 0;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lab of live) lab.destroySync();
  });
}

export class NetnsLab {
  /** Prefix of every name this lab creates: vw<purpose><pid>x<n>. */
  readonly prefix: string;
  private readonly namespaces: string[] = [];
  private readonly children = new Set<ChildProcess>();

  constructor(purpose: string) {
    if (!/^[a-z]{1,4}$/.test(purpose)) throw new Error(`purpose must be 1-4 lower-case letters: ${purpose}`);
    this.prefix = `vw${purpose}${process.pid % 100000}x${labCounter++}`;
    live.add(this);
    installExitHook();
  }

  /** A name for an interface or namespace of this lab; interface names must stay ≤ 15 characters. */
  name(role: string): string {
    const n = `${this.prefix}${role}`;
    if (n.length > 15) throw new Error(`name ${n} is longer than 15 characters (IFNAMSIZ)`);
    return n;
  }

  async addNamespace(role: string): Promise<string> {
    const ns = `${this.prefix}${role}`;
    await must(['ip', 'netns', 'add', ns]);
    this.namespaces.push(ns);
    await must(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** A veth pair between two of this lab's namespaces, with addresses, brought up. */
  async addVeth(a: VethEnd, b: VethEnd): Promise<void> {
    for (const end of [a, b]) {
      if (!this.namespaces.includes(end.ns)) throw new Error(`namespace ${end.ns} is not part of this lab`);
      if (end.name.length > 15) throw new Error(`interface name ${end.name} is longer than 15 characters`);
    }
    await must(['ip', 'link', 'add', a.name, 'netns', a.ns, 'type', 'veth', 'peer', 'name', b.name, 'netns', b.ns]);
    for (const end of [a, b]) {
      for (const addr of end.addresses ?? []) {
        // nodad: IPv6 addresses are usable at once (no duplicate address detection delay).
        await must(['ip', '-n', end.ns, 'addr', 'add', addr, 'dev', end.name, ...(addr.includes(':') ? ['nodad'] : [])]);
      }
      await must(['ip', '-n', end.ns, 'link', 'set', end.name, 'up']);
    }
  }

  /** A bridge in one of the lab's namespaces (e.g. the host's virbr3), with addresses, brought up. */
  async addBridge(ns: string, name: string, addresses: string[] = []): Promise<void> {
    if (!this.namespaces.includes(ns)) throw new Error(`namespace ${ns} is not part of this lab`);
    if (name.length > 15) throw new Error(`interface name ${name} is longer than 15 characters`);
    // stp off, forward delay 0: ports forward at once (libvirt's default <bridge stp='on' delay='0'/> also forwards at once).
    await must(['ip', '-n', ns, 'link', 'add', name, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
    for (const addr of addresses) await must(['ip', '-n', ns, 'addr', 'add', addr, 'dev', name, ...(addr.includes(':') ? ['nodad'] : [])]);
    await must(['ip', '-n', ns, 'link', 'set', name, 'up']);
  }

  /** Enslave an interface (a veth end) to a bridge of the same namespace — a guest's vnetN port. */
  async addBridgePort(ns: string, bridge: string, iface: string): Promise<void> {
    await must(['ip', '-n', ns, 'link', 'set', iface, 'master', bridge]);
    await must(['ip', '-n', ns, 'link', 'set', iface, 'up']);
  }

  /** `ip route add ARGS` (or `ip -6 route add` when the destination or gateway is IPv6). */
  async addRoute(ns: string, args: string[]): Promise<void> {
    await must(['ip', ...(args.some((x) => x.includes(':')) ? ['-6'] : []), '-n', ns, 'route', 'add', ...args]);
  }

  async sysctl(ns: string, key: string, value: string | number): Promise<void> {
    await must(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', `${key}=${value}`]);
  }

  exec(ns: string, argv: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    return run(['ip', 'netns', 'exec', ns, ...argv], { timeoutMs: 60_000, ...options });
  }

  /** Like exec, but throws with stderr when the command fails. */
  async execOk(ns: string, argv: string[], input?: string): Promise<string> {
    return must(['ip', 'netns', 'exec', ns, ...argv], input);
  }

  /**
   * Start a long-running process in a namespace; resolves once `ready` appears on its stdout or
   * stderr (or at once without a pattern). It is killed by pid on destroy().
   */
  spawnBackground(ns: string, argv: string[], ready?: RegExp, timeoutMs = 10_000): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      this.children.add(child);
      child.on('exit', () => this.children.delete(child));
      if (!ready) return resolve(child);
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`${argv.join(' ')} not ready after ${timeoutMs} ms: ${seen}`)), timeoutMs);
      const onData = (d: Buffer): void => {
        seen += d.toString();
        if (ready.test(seen)) {
          clearTimeout(timer);
          resolve(child);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (!ready.test(seen)) reject(new Error(`${argv.join(' ')} exited (${code}) before ready: ${seen}`));
      });
    });
  }

  /** Stop one background process (SIGTERM, then SIGKILL after a grace period). */
  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 2000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  async destroy(): Promise<void> {
    for (const child of [...this.children]) await this.stop(child);
    for (const ns of this.namespaces.splice(0)) await run(['ip', 'netns', 'del', ns]);
    live.delete(this);
  }

  /** Synchronous teardown for the process-exit hook. */
  destroySync(): void {
    for (const child of this.children) if (child.pid) try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
    for (const ns of this.namespaces.splice(0)) try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* already gone */ }
    live.delete(this);
  }

  get namespaceNames(): readonly string[] {
    return this.namespaces;
  }
}
