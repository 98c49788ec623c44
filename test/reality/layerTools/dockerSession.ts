// Runs real dockerd from the layer tools chroot (toolRoot.ts) through
// runToolSession: a throwaway network namespace + private mount namespace, so
// dockerd's iptables rules, docker0 and its sysctls live and die with the
// namespace. dockerd is started and stopped by the scenario's steps with a
// helper script (/etc/docker/vw-dockerd, written into a private /etc/docker):
//  - data-root, exec-root, pidfile and API socket under /tmp/vwd (the session's
//    private tmpfs); storage driver vfs (no overlay needed for `docker import`);
//  - the cgroup v1 controllers mounted into the chroot's /sys/fs/cgroup (the
//    netns' fresh sysfs has none; dockerd refuses to start without the devices
//    controller) and a cgroup parent unique to the session, so containers can
//    run and their cgroups are found and removed afterwards (cleanupCgroups);
//  - dockerd runs chrooted once more into an rbind of the chroot at /mnt: its
//    archive code remounts "/" private, which fails (EINVAL) unless "/" is a
//    mount point;
//  - docker ARGS runs a docker command (network create, run); the first run
//    imports an image vw-sleep made of the chroot's /bin/sleep and its
//    libraries (offline: no registry);
//  - stop removes every container (they live in their own network namespaces,
//    beyond the session's pid sweep), TERMs dockerd by pid, waits, then KILLs.

import { existsSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dockerNetworkId } from '../../../shared/layers/docker/dockerNetworkPlan.ts';
import { runToolSession, type ToolSessionResult } from './toolSession.ts';

export const DOCKERD_HELPER = '/etc/docker/vw-dockerd';

function helperScript(cgroupParent: string): string {
  return `#!/bin/sh
# vw-dockerd start|stop|docker ARGS — see test/reality/layerTools/dockerSession.ts
D=/tmp/vwd
dk() { docker -H "unix://$D/docker.sock" "$@"; }
case "$1" in
start)
  mkdir -p "$D"
  if ! mountpoint -q /sys/fs/cgroup/devices; then
    mount -t tmpfs vwcgroup /sys/fs/cgroup || exit 11
    for c in cpu cpuacct cpuset memory devices freezer blkio pids; do
      mkdir -p "/sys/fs/cgroup/$c" && mount -t cgroup -o "$c" cgroup "/sys/fs/cgroup/$c" || exit 12
    done
    mkdir -p /sys/fs/cgroup/systemd && mount -t cgroup -o none,name=systemd cgroup /sys/fs/cgroup/systemd || exit 13
  fi
  mountpoint -q /mnt || mount --rbind / /mnt || exit 14
  flags=""
  grep -qs '"iptables"' /etc/docker/daemon.json || flags="--iptables=true"
  chroot /mnt dockerd --config-file /etc/docker/daemon.json --data-root "$D/data" --exec-root "$D/exec" \\
    --pidfile "$D/docker.pid" -H "unix://$D/docker.sock" --storage-driver vfs --cgroup-parent ${cgroupParent} $flags >> "$D/dockerd.log" 2>&1 &
  echo $! > "$D/dockerd.pid"
  n=0
  until dk version >/dev/null 2>&1; do
    n=$((n+1))
    if [ $n -gt 120 ] || ! kill -0 "$(cat "$D/dockerd.pid")" 2>/dev/null; then tail -20 "$D/dockerd.log"; exit 15; fi
    sleep 0.5
  done
  # the daemon answers before its last bridge rules are in place: wait until docker0 is up
  n=0; until ip link show docker0 >/dev/null 2>&1 || [ $n -gt 20 ]; do n=$((n+1)); sleep 0.25; done
  ;;
stop)
  ids=$(dk ps -aq)
  [ -z "$ids" ] || dk rm -f $ids >/dev/null
  p=$(cat "$D/dockerd.pid")
  kill "$p"
  n=0; while kill -0 "$p" 2>/dev/null && [ $n -lt 60 ]; do n=$((n+1)); sleep 0.5; done
  kill -9 "$p" 2>/dev/null
  # dockerd's managed containerd ends with it; wait until its socket is gone
  n=0; while [ -S "$D/exec/containerd/containerd.sock" ] && [ $n -lt 20 ]; do n=$((n+1)); sleep 0.25; done
  rm -f "$D/dockerd.pid"
  ;;
docker)
  # docker ARGS; before the first "docker run" an image vw-sleep is made: /bin/sleep
  # and the libraries it needs, imported from a tar (no registry needed)
  shift
  if [ "$1" = run ] && ! dk image inspect vw-sleep >/dev/null 2>&1; then
    rm -rf "$D/img" && mkdir -p "$D/img"
    for f in /bin/sleep $(ldd /bin/sleep | grep -o '/[^ ]*'); do cp -L --parents "$f" "$D/img/" || exit 16; done
    tar -C "$D/img" -c . | dk import - vw-sleep >/dev/null || exit 17
    rm -rf "$D/img"
  fi
  dk "$@" >/dev/null || exit 18
  ;;
*) echo "usage: vw-dockerd start|stop|docker ARGS" >&2; exit 2 ;;
esac
`;
}

let sessions = 0;

/**
 * Ends what a failed session may have left in the host's cgroup v1 hierarchies
 * under the session's own cgroup parent (container processes: they are in
 * their own network namespace) — by pid, SIGKILL (a container's pid 1 ignores
 * TERM) — then removes the empty cgroup folders.
 */
export function cleanupCgroups(parent: string): void {
  const root = '/sys/fs/cgroup';
  if (!existsSync(root)) return;
  const dirs: string[] = [];
  const walk = (d: string): void => {
    dirs.push(d);
    for (const e of readdirSync(d)) if (statSync(join(d, e)).isDirectory()) walk(join(d, e));
  };
  for (const controller of readdirSync(root)) {
    const top = join(root, controller, parent);
    if (existsSync(top)) walk(top);
  }
  for (const d of dirs) {
    const procs = existsSync(join(d, 'cgroup.procs')) ? readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number) : [];
    for (const pid of procs) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const d of dirs.reverse()) {
    for (let i = 0; i < 20; i++) {
      try {
        rmdirSync(d);
        break;
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
  }
}

export interface DockerSessionOptions {
  root: string;
  daemonJson?: string;
  /** net.ipv4.ip_forward before the first step. */
  ipForward: 0 | 1;
  steps: { name: string; command: string }[];
}

export const DOCKER_DUMPS = [
  { name: 'ipv4', command: 'iptables-save' },
  { name: 'ipv6', command: 'ip6tables-save' },
  { name: 'sysctl', command: 'sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding' },
  // user-defined networks' names and (random) ids while dockerd runs: bridge br-<first 12 of the id>
  { name: 'networks', command: 'docker -H unix:///tmp/vwd/docker.sock network ls --no-trunc --format "{{.Name}} {{.ID}}" 2>/dev/null || true' },
];

/**
 * The real dump with each user network's bridge br-<real id> renamed to the model's
 * br-<id derived from the name> (dockerNetworkPlan.ts): real ids are random.
 * `seen` maps real bridge names to model ones across steps (after dockerd stops
 * its networks can no longer be listed, but their rules stay).
 */
export function renameDockerBridges(dump: string, networksDump: string, seen: Map<string, string>): string {
  for (const line of networksDump.split('\n')) {
    const [name, id] = line.trim().split(' ');
    if (!name || !id || ['bridge', 'host', 'none'].includes(name)) continue;
    seen.set(`br-${id.slice(0, 12)}`, `br-${dockerNetworkId(name).slice(0, 12)}`);
  }
  return dump.replace(/\bbr-[0-9a-f]{12}\b/g, (b) => seen.get(b) ?? b);
}

export function runDockerSession(o: DockerSessionOptions): ToolSessionResult {
  const cgroupParent = `vwdocker${process.pid}x${++sessions}`;
  try {
    return runToolSession({
      root: o.root,
      tag: 'dk',
      iptables: 'nft',
      interfaces: ['eth1', 'virbr3'],
      privateDirs: ['/etc/docker'],
      files: { [DOCKERD_HELPER]: helperScript(cgroupParent), '/etc/docker/daemon.json': o.daemonJson ?? '{}\n' },
      steps: [{ name: 'sysctl', command: `chmod +x ${DOCKERD_HELPER} && sysctl -qw net.ipv4.ip_forward=${o.ipForward}` }, ...o.steps],
      dumps: DOCKER_DUMPS,
    });
  } finally {
    cleanupCgroups(cgroupParent);
  }
}
