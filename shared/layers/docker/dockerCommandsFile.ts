// The Docker layer's commands file: the `docker network create` and
// `docker run` lines an admin (or a compose file, spelled out) runs once
// dockerd is up. Only what decides Docker's iptables rules is read — network
// subnet, gateway, --internal, the bridge options (name, enable_icc,
// enable_ip_masquerade) and a container's network, address and published
// ports. Anything else that changes the firewall, or that the model cannot
// place (random host ports, port ranges, other drivers), is reported at its
// word, never silently dropped; options that do not touch the firewall
// (--rm, --restart, -e, -v, …) are accepted and ignored.

import type { ConfigProblem } from '../layerActions.ts';

export const DOCKER_COMMANDS_PATH = '/etc/docker/virtwall-commands.sh';

/** What the UI puts into a new commands file. */
export const DOCKER_COMMANDS_TEMPLATE = `# Docker commands run once dockerd is up (virtwall reads network create and run).
# docker network create --subnet 172.30.0.0/24 -o com.docker.network.bridge.enable_icc=false web
# docker run -d --name app --network web -p 8080:80 -p 127.0.0.1:8443:443 nginx
`;

export interface DockerPort {
  /** '' = every address (no -d in the rules). */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  proto: 'tcp' | 'udp' | 'sctp';
}

export interface DockerNetworkCommand {
  kind: 'network-create';
  name: string;
  subnet?: string;
  gateway?: string;
  internal: boolean;
  bridgeName?: string;
  icc: boolean;
  masquerade: boolean;
  line: number;
  text: string;
}

export interface DockerRunCommand {
  kind: 'run';
  /** As given with --name; otherwise Docker's random name (the model says `container on line N`). */
  name?: string;
  /** 'bridge' (docker0) unless --network says otherwise. */
  network: string;
  ip?: string;
  ports: DockerPort[];
  line: number;
  text: string;
}

export type DockerCommand = DockerNetworkCommand | DockerRunCommand;

export interface ParsedDockerCommands {
  commands: DockerCommand[];
  problems: ConfigProblem[];
}

interface Word {
  text: string;
  column: number;
}

/** Shell words with their 1-based columns: blanks split, '…' and "…" quote, # starts a comment. */
function splitWords(line: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length || line[i] === '#') break;
    const column = i + 1;
    let text = '';
    while (i < line.length && !/\s/.test(line[i])) {
      const q = line[i];
      if (q === "'" || q === '"') {
        const end = line.indexOf(q, i + 1);
        text += line.slice(i + 1, end < 0 ? line.length : end);
        i = end < 0 ? line.length : end + 1;
      } else {
        text += q;
        i++;
      }
    }
    words.push({ text, column });
  }
  return words;
}

/** Options that take a value and do not change the firewall (docker run). */
const RUN_VALUE_IGNORED = new Set(['-e', '--env', '--env-file', '-v', '--volume', '--restart', '-w', '--workdir', '-u', '--user', '--hostname', '-h', '--label', '-l', '--entrypoint', '--mount', '-m', '--memory', '--cpus', '--log-driver', '--log-opt', '--pull', '--platform', '--stop-signal', '--stop-timeout', '--tmpfs', '--ulimit', '--cap-add', '--cap-drop', '--device', '--dns', '--dns-search', '--add-host', '--health-cmd', '--health-interval', '--user', '--pid', '--ipc', '--shm-size', '--security-opt', '--init-path', '--cgroup-parent']);
/** Flags without a value that do not change the firewall. */
const RUN_FLAGS_IGNORED = new Set(['-d', '--detach', '--rm', '-i', '--interactive', '-t', '--tty', '-it', '-ti', '-dit', '-itd', '-td', '-dt', '--init', '--privileged', '--read-only']);

const BRIDGE_OPTS = {
  name: 'com.docker.network.bridge.name',
  icc: 'com.docker.network.bridge.enable_icc',
  masq: 'com.docker.network.bridge.enable_ip_masquerade',
};

class LineReader {
  private i = 0;
  constructor(
    private readonly words: Word[],
    private readonly problem: (w: Word, message: string) => void,
  ) {}
  get done(): boolean {
    return this.i >= this.words.length;
  }
  next(): Word {
    return this.words[this.i++];
  }
  /** The option's value: `--opt=value` or the next word. */
  value(w: Word, name: string): Word | null {
    const eq = w.text.indexOf('=');
    if (w.text.startsWith('--') && eq > 0) return { text: w.text.slice(eq + 1), column: w.column + eq + 1 };
    if (this.done) {
      this.problem(w, `${name} needs a value`);
      return null;
    }
    return this.next();
  }
  rest(): Word[] {
    const r = this.words.slice(this.i);
    this.i = this.words.length;
    return r;
  }
}

const optionName = (w: Word): string => (w.text.startsWith('--') && w.text.includes('=') ? w.text.slice(0, w.text.indexOf('=')) : w.text);

function isIpv4(s: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((p) => Number(p) <= 255 && String(Number(p)) === p);
}

function isIpv4Cidr(s: string): boolean {
  const [addr, len, extra] = s.split('/');
  return extra === undefined && isIpv4(addr) && /^\d{1,2}$/.test(len ?? '') && Number(len) <= 32;
}

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/** `[HOSTIP:]HOSTPORT:CPORT[/proto]` as docker run -p reads it (nat.ParsePortSpec). */
function parsePublish(w: Word, problem: (w: Word, m: string) => void): DockerPort | null {
  const [spec, proto = 'tcp', more] = w.text.split('/');
  if (more !== undefined || !['tcp', 'udp', 'sctp'].includes(proto)) {
    problem(w, `-p ${w.text}: protocol must be tcp, udp or sctp`);
    return null;
  }
  const parts = spec.startsWith('[') ? null : spec.split(':');
  if (parts === null) {
    problem(w, `-p ${w.text}: IPv6 host addresses are not modelled`);
    return null;
  }
  if (parts.some((p) => p.includes('-'))) {
    problem(w, `-p ${w.text}: port ranges are not modelled`);
    return null;
  }
  if (parts.length === 1 || (parts.length === 3 && parts[1] === '') || (parts.length === 2 && parts[0] === '')) {
    problem(w, `-p ${w.text}: a host port Docker picks at random is not modelled; give HOSTPORT:CONTAINERPORT`);
    return null;
  }
  if (parts.length > 3) {
    problem(w, `-p ${w.text}: expected [HOSTIP:]HOSTPORT:CONTAINERPORT[/PROTO]`);
    return null;
  }
  const [hostIp, hostText, cText] = parts.length === 3 ? parts : ['', parts[0], parts[1]];
  if (hostIp !== '' && hostIp !== '0.0.0.0' && !isIpv4(hostIp)) {
    problem(w, `-p ${w.text}: ${JSON.stringify(hostIp)} is not an IPv4 host address`);
    return null;
  }
  const hostPort = parsePort(hostText);
  const containerPort = parsePort(cText);
  if (hostPort === null || containerPort === null) {
    problem(w, `-p ${w.text}: ports must be numbers 1-65535`);
    return null;
  }
  return { hostIp: hostIp === '0.0.0.0' ? '' : hostIp, hostPort, containerPort, proto: proto as DockerPort['proto'] };
}

function parseNetworkCreate(r: LineReader, line: number, text: string, first: Word, problem: (w: Word, m: string) => void): DockerNetworkCommand | null {
  const cmd: DockerNetworkCommand = { kind: 'network-create', name: '', internal: false, icc: true, masquerade: true, line, text };
  const names: Word[] = [];
  let gatewayAt: Word | null = null;
  let ok = true;
  while (!r.done) {
    const w = r.next();
    if (!w.text.startsWith('-')) {
      names.push(w);
      continue;
    }
    const opt = optionName(w);
    if (opt === '--internal') cmd.internal = true;
    else if (opt === '--subnet' || opt === '--gateway') {
      const v = r.value(w, opt);
      if (!v) return null;
      if (opt === '--subnet' && !isIpv4Cidr(v.text)) {
        problem(v, `--subnet ${v.text}: an IPv4 subnet like 172.30.0.0/24 is expected (IPv6 networks are not modelled)`);
        ok = false;
      } else if (opt === '--gateway' && !isIpv4(v.text)) {
        problem(v, `--gateway ${v.text}: an IPv4 address is expected`);
        ok = false;
      } else if (opt === '--subnet' && cmd.subnet !== undefined) {
        problem(v, 'a second --subnet (several subnets per network) is not modelled');
        ok = false;
      } else if (opt === '--subnet') cmd.subnet = v.text;
      else {
        cmd.gateway = v.text;
        gatewayAt = w;
      }
    } else if (opt === '-d' || opt === '--driver') {
      const v = r.value(w, opt);
      if (!v) return null;
      if (v.text !== 'bridge') {
        problem(v, `driver ${v.text} is not modelled (only bridge networks)`);
        ok = false;
      }
    } else if (opt === '-o' || opt === '--opt') {
      const v = r.value(w, opt);
      if (!v) return null;
      const eq = v.text.indexOf('=');
      const [key, value] = eq < 0 ? [v.text, ''] : [v.text.slice(0, eq), v.text.slice(eq + 1)];
      if (key === BRIDGE_OPTS.name) {
        if (!/^[A-Za-z0-9_.-]{1,15}$/.test(value)) {
          problem(v, `${key}: ${JSON.stringify(value)} is not an interface name (1-15 letters, digits, _ . -)`);
          ok = false;
        } else cmd.bridgeName = value;
      } else if (key === BRIDGE_OPTS.icc || key === BRIDGE_OPTS.masq) {
        if (value !== 'true' && value !== 'false') {
          problem(v, `${key} must be true or false, not ${JSON.stringify(value)}`);
          ok = false;
        } else if (key === BRIDGE_OPTS.icc) cmd.icc = value === 'true';
        else cmd.masquerade = value === 'true';
      } else {
        problem(v, `network option ${key} is not modelled`);
        ok = false;
      }
    } else if (opt === '--attachable' || opt === '--label') {
      if (opt === '--label' && !r.value(w, opt)) return null;
    } else {
      problem(w, `docker network create option ${opt} is not modelled`);
      ok = false;
    }
  }
  if (names.length !== 1) {
    problem(names[1] ?? first, names.length === 0 ? 'docker network create needs a network name' : `one network name expected, ${names.length} given`);
    return null;
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(names[0].text)) {
    problem(names[0], `${JSON.stringify(names[0].text)} is not a valid network name`);
    return null;
  }
  if (['bridge', 'host', 'none'].includes(names[0].text)) {
    problem(names[0], `network ${names[0].text} exists already (a predefined network)`);
    return null;
  }
  if (gatewayAt && cmd.subnet === undefined) {
    problem(gatewayAt, '--gateway needs --subnet (as docker network create says)');
    return null;
  }
  cmd.name = names[0].text;
  return ok ? cmd : null;
}

function parseRun(r: LineReader, line: number, text: string, problem: (w: Word, m: string) => void): DockerRunCommand | null {
  const cmd: DockerRunCommand = { kind: 'run', network: 'bridge', ports: [], line, text };
  let ok = true;
  let image: Word | null = null;
  while (!r.done && image === null) {
    const w = r.next();
    if (!w.text.startsWith('-')) {
      image = w;
      break;
    }
    const opt = optionName(w);
    if (opt === '--name' || opt === '--network' || opt === '--net' || opt === '--ip') {
      const v = r.value(w, opt);
      if (!v) return null;
      if (opt === '--name') cmd.name = v.text;
      else if (opt === '--ip') {
        if (!isIpv4(v.text)) {
          problem(v, `--ip ${v.text}: an IPv4 address is expected`);
          ok = false;
        } else cmd.ip = v.text;
      } else cmd.network = v.text;
    } else if (opt === '-p' || opt === '--publish' || (opt.startsWith('-p') && !opt.startsWith('--') && opt.length > 2)) {
      const v = opt === '-p' || opt === '--publish' ? r.value(w, opt) : { text: w.text.slice(2), column: w.column + 2 };
      if (!v) return null;
      const port = parsePublish(v, problem);
      if (port) cmd.ports.push(port);
      else ok = false;
    } else if (opt === '-P' || opt === '--publish-all') {
      problem(w, `${opt}: publishing every exposed port on random host ports is not modelled`);
      ok = false;
    } else if (RUN_FLAGS_IGNORED.has(w.text)) {
      // no effect on the firewall
    } else if (RUN_VALUE_IGNORED.has(opt)) {
      if (!r.value(w, opt)) return null;
    } else {
      problem(w, `docker run option ${opt} is not modelled`);
      ok = false;
    }
  }
  if (image === null) {
    problem({ text: '', column: text.length + 1 }, 'docker run needs an image');
    return null;
  }
  r.rest();
  return ok ? cmd : null;
}

export function parseDockerCommands(text: string, file = DOCKER_COMMANDS_PATH): ParsedDockerCommands {
  const commands: DockerCommand[] = [];
  const problems: ConfigProblem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const problem = (w: Word, message: string): void => {
      problems.push({ severity: 'error', file, line, column: w.column, message });
    };
    const words = splitWords(raw);
    if (words.length === 0) return;
    const last = words[words.length - 1];
    if (last.text.endsWith('\\') && !raw.trimEnd().endsWith("'") && !raw.trimEnd().endsWith('"')) {
      problem({ text: '\\', column: last.column + last.text.length - 1 }, 'a command continued on the next line (\\) is not read: write each docker command on one line');
      return;
    }
    const r = new LineReader(words, problem);
    const head = r.next();
    if (head.text !== 'docker') {
      problem(head, `${JSON.stringify(head.text)}: only docker commands are read from this file (not modelled)`);
      return;
    }
    const sub = r.done ? null : r.next();
    if (sub?.text === 'network') {
      const action = r.done ? null : r.next();
      if (action?.text !== 'create') {
        problem(action ?? sub, `docker network ${action?.text ?? ''} is not modelled (only network create)`.replace('  ', ' '));
        return;
      }
      const cmd = parseNetworkCreate(r, line, raw.trim(), action, problem);
      if (cmd) commands.push(cmd);
    } else if (sub?.text === 'run' || (sub?.text === 'container' && !r.done && r.next().text === 'run')) {
      const cmd = parseRun(r, line, raw.trim(), problem);
      if (cmd) commands.push(cmd);
    } else {
      problem(sub ?? head, `docker ${sub?.text ?? ''} is not modelled (only network create and run)`.replace('  ', ' '));
    }
  });
  return { commands, problems };
}
