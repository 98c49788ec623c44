import { describe, expect, it } from 'vitest';
import type { LayerAction } from '../layerActions.ts';
import { addToUserRules, readUfwCommand } from './ufwCommands.ts';
import { parseUfwDefaults, writeUfwDefaults } from './ufwConfig.ts';
import { ufwStartActions, ufwStopActions, type UfwEnvironment } from './ufwActions.ts';
import { SHIPPED_UFW_DEFAULTS, UFW_DEFAULTS_PATH, UFW_USER_RULES } from './ufwShippedFiles.ts';

const env: UfwEnvironment = { version: '0.36.1', chains: { ipv4: [], ipv6: [] } };
const v4 = (a: LayerAction[]) => a.flatMap((x) => (x.kind === 'iptables' && x.family === 'ipv4' ? [x.args] : []));

describe('ufw start', () => {
  const { actions, problems } = ufwStartActions({}, env);
  const lines = v4(actions);

  it('uses the shipped files when the layer has none, without problems', () => {
    expect(problems).toEqual([]);
    expect(actions.filter((a) => a.kind === 'note')).toEqual([]);
  });

  it('appends its chains to FORWARD (below what was there) and never inserts into built-ins', () => {
    expect(lines.filter((l) => / (INPUT|FORWARD|OUTPUT) /.test(` ${l} `) && /^-I /.test(l))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('-A FORWARD'))).toEqual([
      '-A FORWARD -j ufw-before-logging-forward', '-A FORWARD -j ufw-before-forward', '-A FORWARD -j ufw-after-forward',
      '-A FORWARD -j ufw-after-logging-forward', '-A FORWARD -j ufw-reject-forward', '-A FORWARD -j ufw-track-forward',
    ]);
  });

  it('accepts forwarded ICMP echo-request in ufw-before-forward (before.rules) and jumps to the user rules after it', () => {
    const fwd = lines.filter((l) => l.includes('-A ufw-before-forward'));
    expect(fwd).toEqual([
      '-t filter -A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-t filter -A ufw-before-forward -p icmp --icmp-type destination-unreachable -j ACCEPT',
      '-t filter -A ufw-before-forward -p icmp --icmp-type time-exceeded -j ACCEPT',
      '-t filter -A ufw-before-forward -p icmp --icmp-type parameter-problem -j ACCEPT',
      '-t filter -A ufw-before-forward -p icmp --icmp-type echo-request -j ACCEPT',
      '-A ufw-before-forward -j ufw-user-forward',
    ]);
    const echo = actions.find((a) => a.kind === 'iptables' && a.args.endsWith('--icmp-type echo-request -j ACCEPT') && a.args.includes('forward'));
    expect(echo?.kind === 'iptables' && echo.provenance).toMatchObject({ layer: 'ufw', file: '/etc/ufw/before.rules', line: 43 });
  });

  it('implements DEFAULT_FORWARD_POLICY=DROP as policy DROP, set last', () => {
    expect(lines.at(-1)).toBe('-P FORWARD DROP');
    expect(lines).toContain('-A ufw-skip-to-policy-forward -j DROP');
  });

  it('REJECT forward policy: policy DROP plus a final REJECT in ufw-reject-forward (U5)', () => {
    const files = { [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { DEFAULT_FORWARD_POLICY: 'REJECT' }) };
    const l = v4(ufwStartActions(files, env).actions);
    expect(l).toContain('-A ufw-reject-forward -j REJECT');
    expect(l.at(-1)).toBe('-P FORWARD DROP');
  });

  it('applies sysctl.conf: rp_filter=1, ip_forward untouched (commented)', () => {
    const s = actions.flatMap((a) => (a.kind === 'sysctl' ? [`${a.key}=${a.value}`] : []));
    expect(s).toContain('net.ipv4.conf.all.rp_filter=1');
    expect(s).toContain('net.ipv4.conf.default.rp_filter=1');
    expect(s.some((x) => x.startsWith('net.ipv4.ip_forward'))).toBe(false);
  });

  it('MANAGE_BUILTINS=yes flushes the built-in chains first (U6)', () => {
    const files = { [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { MANAGE_BUILTINS: 'yes' }) };
    const l = v4(ufwStartActions(files, env).actions);
    expect(l.slice(0, 2)).toEqual(['-t filter -F INPUT', '-P INPUT ACCEPT']);
    expect(l).toContain('-t filter -F FORWARD');
  });

  it('on reload removes its old chains and jumps first', () => {
    const l = v4(ufwStartActions({}, { ...env, chains: { ipv4: ['ufw-before-forward', 'ufw-user-forward'], ipv6: [] } }).actions);
    expect(l.slice(0, 1)).toEqual(['-D INPUT -j ufw-before-logging-input']);
    expect(l).toContain('-X ufw-user-forward');
  });

  it('stop: chains removed, policies ACCEPT', () => {
    const l = v4(ufwStopActions({}, { ...env, chains: { ipv4: ['ufw-before-forward'], ipv6: [] } }));
    expect(l.slice(-3)).toEqual(['-P INPUT ACCEPT', '-P FORWARD ACCEPT', '-P OUTPUT ACCEPT']);
  });
});

describe('ufw commands', () => {
  it('route allow in on/out on → ufw-user-forward rule', () => {
    const r = readUfwCommand('ufw route allow in on virbr3 out on eth1');
    expect(r).toEqual({ kind: 'rules', family: 'both', tuple: '### tuple ### route:allow any any 0.0.0.0/0 any 0.0.0.0/0 in_virbr3!out_eth1', lines: ['-A ufw-user-forward -i virbr3 -o eth1 -j ACCEPT'] });
  });
  it('allow in on IF to any port 67 proto udp', () => {
    const r = readUfwCommand('ufw allow in on virbr3 to any port 67 proto udp');
    expect(r.kind === 'rules' && r.lines).toEqual(['-A ufw-user-input -i virbr3 -p udp -m udp --dport 67 -j ACCEPT']);
  });
  it('simple syntax and reject of tcp', () => {
    expect(readUfwCommand('ufw allow 22/tcp')).toMatchObject({ lines: ['-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT'] });
    expect(readUfwCommand('ufw reject ssh')).toMatchObject({ lines: ['-A ufw-user-input -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset', '-A ufw-user-input -p udp -m udp --dport 22 -j REJECT'] });
  });
  it('default … routed changes /etc/default/ufw', () => {
    expect(readUfwCommand('ufw default reject routed')).toEqual({ kind: 'default', variable: 'DEFAULT_FORWARD_POLICY', value: 'REJECT' });
  });
  it('names the word it does not understand, with its column', () => {
    expect(readUfwCommand('ufw allow in on virbr3 frm 10.0.0.0/8')).toEqual({ kind: 'error', message: "'frm' is not understood here", column: 24 });
  });
  it('user rules added with the command are loaded by ufw start', () => {
    const r = readUfwCommand('ufw route allow in on virbr3 out on eth1');
    if (r.kind !== 'rules') throw new Error('expected rules');
    const userRules = addToUserRules(undefined, r);
    expect(userRules).toContain('### tuple ### route:allow any any 0.0.0.0/0 any 0.0.0.0/0 in_virbr3!out_eth1\n-A ufw-user-forward -i virbr3 -o eth1 -j ACCEPT\n\n### END RULES ###');
    const l = v4(ufwStartActions({ [UFW_USER_RULES]: userRules }, env).actions);
    expect(l).toContain('-t filter -A ufw-user-forward -i virbr3 -o eth1 -j ACCEPT');
  });
});

describe('/etc/default/ufw', () => {
  it('reads the shipped defaults', () => {
    expect(parseUfwDefaults(SHIPPED_UFW_DEFAULTS).config).toEqual({ inputPolicy: 'DROP', outputPolicy: 'ACCEPT', forwardPolicy: 'DROP', manageBuiltins: false, ipv6: true, sysctlFile: '/etc/ufw/sysctl.conf' });
  });
  it('reports an invalid policy at its value', () => {
    const { problems } = parseUfwDefaults('DEFAULT_FORWARD_POLICY="DENY"\n');
    expect(problems).toEqual([{ severity: 'error', file: '/etc/default/ufw', line: 1, column: 25, message: 'DEFAULT_FORWARD_POLICY="DENY" is not ACCEPT, DROP or REJECT (ufw refuses to start)' }]);
  });
});
