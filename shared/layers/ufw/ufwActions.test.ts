import { describe, expect, it } from 'vitest';
import type { LayerAction } from '../layerActions.ts';
import { addToUserRules, applyUfwCommand, readUfwCommand } from './ufwCommands.ts';
import { parseUfwDefaults, writeUfwDefaults } from './ufwConfig.ts';
import { ufwReloadActions, ufwStartActions, ufwStopActions, type UfwEnvironment } from './ufwActions.ts';
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

  it('implements DEFAULT_FORWARD_POLICY=DROP as policy DROP, set after the rules are loaded (0.36.2, LP: #1946804)', () => {
    const policies = lines.filter((l) => l.startsWith('-P '));
    expect(policies).toEqual(['-P INPUT DROP', '-P OUTPUT ACCEPT', '-P FORWARD DROP']);
    expect(lines.slice(lines.indexOf('-P FORWARD DROP')).filter((l) => / (INPUT|OUTPUT|FORWARD) /.test(` ${l} `))).toEqual(['-P FORWARD DROP']);
    expect(lines).toContain('-A ufw-skip-to-policy-forward -j DROP');
  });

  it('REJECT forward policy: policy DROP plus a final REJECT in ufw-reject-forward (U5)', () => {
    const files = { [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { DEFAULT_FORWARD_POLICY: 'REJECT' }) };
    const l = v4(ufwStartActions(files, env).actions);
    expect(l).toContain('-A ufw-reject-forward -j REJECT');
    expect(l.filter((x) => x.startsWith('-P FORWARD'))).toEqual(['-P FORWARD DROP']);
  });

  it('applies the shipped sysctl.conf of 0.36: redirects off, rp_filter and ip_forward untouched', () => {
    const s = actions.flatMap((a) => (a.kind === 'sysctl' ? [`${a.key}=${a.value}`] : []));
    expect(s).toContain('net.ipv4.conf.all.accept_redirects=0');
    expect(s.some((x) => x.includes('rp_filter'))).toBe(false);
    expect(s.some((x) => x.startsWith('net.ipv4.ip_forward'))).toBe(false);
  });

  it('MANAGE_BUILTINS=yes flushes every filter chain and deletes the user chains first, nat INPUT untouched (U6)', () => {
    const files = { [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { MANAGE_BUILTINS: 'yes' }) };
    const l = v4(ufwStartActions(files, env).actions);
    expect(l.slice(0, 3)).toEqual(['-F', '-X', '-P INPUT ACCEPT']);
    expect(l).toContain('-t nat -F POSTROUTING');
    expect(l).not.toContain('-t nat -F INPUT');
  });

  it('IPV6=no replaces the IPv6 filter table with loopback-only rules and DROP policies', () => {
    const files = { [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { IPV6: 'no' }) };
    const v6 = ufwStartActions(files, env).actions.flatMap((x) => (x.kind === 'iptables' && x.family === 'ipv6' && !x.mayFail ? [x.args] : []));
    expect(v6).toEqual(['-t filter -F', '-t filter -X', '-P INPUT DROP', '-P FORWARD DROP', '-P OUTPUT DROP', '-A INPUT -i lo -j ACCEPT', '-A OUTPUT -o lo -j ACCEPT']);
  });

  it('with its chains present (reload, enable after disable) flushes them in place: no jump appended again', () => {
    const l = v4(ufwReloadActions({}, { ...env, chains: { ipv4: ['ufw-before-logging-input', 'ufw-before-forward', 'ufw-user-forward'], ipv6: [] } }).actions);
    expect(l).toContain('-F ufw-before-forward');
    expect(l).toContain('-X ufw-user-forward');
    expect(l.filter((x) => /^-A (INPUT|OUTPUT|FORWARD) /.test(x))).toEqual([]);
  });

  it('stop: chains flushed, the primary ones (and their jumps) kept, policies ACCEPT', () => {
    const l = v4(ufwStopActions({}, { ...env, chains: { ipv4: ['ufw-before-forward'], ipv6: [] } }));
    expect(l).toContain('-F ufw-before-forward');
    expect(l).not.toContain('-X ufw-before-forward');
    expect(l.filter((x) => x.startsWith('-D '))).toEqual([]);
    expect(l.slice(-3)).toEqual(['-P INPUT ACCEPT', '-P OUTPUT ACCEPT', '-P FORWARD ACCEPT']);
  });
});

describe('ufw commands', () => {
  it('route allow in on/out on → ufw-user-forward rule', () => {
    const r = readUfwCommand('ufw route allow in on virbr3 out on eth1');
    expect(r).toEqual({ kind: 'rules', family: 'both', tuple: '### tuple ### route:allow any any 0.0.0.0/0 any 0.0.0.0/0 in_virbr3!out_eth1', lines: ['-A ufw-user-forward -i virbr3 -o eth1 -j ACCEPT'] });
  });
  it('allow in on IF to any port 67 proto udp', () => {
    const r = readUfwCommand('ufw allow in on virbr3 to any port 67 proto udp');
    expect(r.kind === 'rules' && r.lines).toEqual(['-A ufw-user-input -i virbr3 -p udp --dport 67 -j ACCEPT']);
  });
  it('simple syntax and reject of tcp', () => {
    expect(readUfwCommand('ufw allow 22/tcp')).toMatchObject({ lines: ['-A ufw-user-input -p tcp --dport 22 -j ACCEPT'] });
    expect(readUfwCommand('ufw reject ssh')).toMatchObject({ lines: ['-A ufw-user-input -p tcp --dport 22 -j REJECT --reject-with tcp-reset', '-A ufw-user-input -p udp --dport 22 -j REJECT'] });
    // ufw's format_rule order: -p, -d, --dport, -s (as real ufw 0.36.2 writes user.rules)
    expect(readUfwCommand('ufw allow from 192.168.10.0/24 to any port 53 proto udp')).toMatchObject({ family: 'ipv4', lines: ['-A ufw-user-input -p udp --dport 53 -s 192.168.10.0/24 -j ACCEPT'] });
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

describe('applyUfwCommand', () => {
  it('writes a rule naming no address into user.rules and user6.rules (IPv6 anywhere in the tuple), LOG rules by policy', () => {
    const r = applyUfwCommand({ [UFW_DEFAULTS_PATH]: writeUfwDefaults(undefined, { DEFAULT_FORWARD_POLICY: 'ACCEPT' }) }, 'ufw route allow in on virbr3 out on eth1');
    if (!('files' in r)) throw new Error(r.error);
    expect(r.files['/etc/ufw/user6.rules']).toContain('### tuple ### route:allow any any ::/0 any ::/0 in_virbr3!out_eth1\n-A ufw6-user-forward -i virbr3 -o eth1 -j ACCEPT\n');
    expect(r.files[UFW_USER_RULES]).not.toContain('-A ufw-after-logging-forward');
    expect(r.files[UFW_USER_RULES]).toContain('-A ufw-after-logging-input -j LOG');
  });
  it('refuses an IPv6 rule with IPV6=no', () => {
    expect(applyUfwCommand({ [UFW_DEFAULTS_PATH]: 'IPV6=no\n' }, 'ufw allow from fd00::/8')).toMatchObject({ error: expect.stringContaining('IPV6=yes') });
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
