import { describe, expect, it } from 'vitest';
import { parseShellVariables, setShellVariables } from './shellVariableFile.ts';
import { parseSfw2Config, writeSfw2Variables } from './sfw2Config.ts';

describe('shell variable files', () => {
  it('reads the quoting styles, variable references and multi-line double quotes', () => {
    const f = parseShellVariables(`A="x y"\nB='$A'\nC=plain # comment\nD="$A z"\nE="one\n two"\nexport F=1\n`, 'f');
    const v = Object.fromEntries(f.assignments.map((a) => [a.name, a.value]));
    expect(v).toEqual({ A: 'x y', B: '$A', C: 'plain', D: 'x y z', E: 'one\n two', F: '1' });
    expect(f.problems).toEqual([]);
  });

  it('keeps lines it cannot read and reports them with their position', () => {
    const f = parseShellVariables(`# c\nif true; then\nFW_ROUTE="yes"\n`, '/etc/sysconfig/SuSEfirewall2');
    expect(f.problems).toEqual([
      { severity: 'warning', file: '/etc/sysconfig/SuSEfirewall2', line: 2, column: 1, message: 'not a variable assignment, ignored (the shell would run it): if true; then' },
    ]);
    expect(f.assignments.map((a) => a.name)).toEqual(['FW_ROUTE']);
  });

  it('reports an unterminated quote at the quote', () => {
    const f = parseShellVariables(`X=1\nFW_FORWARD="a,b\n`, 'f');
    expect(f.problems).toMatchObject([{ severity: 'error', line: 2, column: 12, message: 'unterminated double quote in the value of FW_FORWARD' }]);
  });

  it('changes only the edited assignment, keeping quote style and everything else', () => {
    const text = `## Type: yesno\n# comment\nFW_ROUTE='no'   # inline\nFW_DEV_EXT="eth1"\n`;
    expect(setShellVariables(text, 'f', { FW_ROUTE: 'yes' })).toBe(`## Type: yesno\n# comment\nFW_ROUTE='yes'   # inline\nFW_DEV_EXT="eth1"\n`);
    expect(setShellVariables(text, 'f', { FW_DEV_EXT: 'eth1 virbr3', FW_NEW: 'a b' })).toBe(`## Type: yesno\n# comment\nFW_ROUTE='no'   # inline\nFW_DEV_EXT="eth1 virbr3"\nFW_NEW="a b"\n`);
    expect(setShellVariables(text, 'f', { FW_DEV_EXT: null })).toBe(`## Type: yesno\n# comment\nFW_ROUTE='no'   # inline\n`);
    expect(setShellVariables(text, 'f', { FW_ROUTE: 'no' })).toBe(text);
  });
});

describe('SuSEfirewall2 sysconfig', () => {
  it('applies SuSEfirewall2.defaults to empty variables', () => {
    const { config } = parseSfw2Config('FW_REJECT_INT=""\nFW_MASQ_DEV=""\n');
    expect(config.reject.int).toBe(true);
    expect(config.masqDev.map((e) => e.text)).toEqual(['zone:ext']);
    expect(config.protectFrom.int).toBe('no');
    expect(config.protectFrom.ext).toBe('yes');
  });

  it('names the variable, entry and offending value with line and column', () => {
    const { problems } = parseSfw2Config('FW_ROUTE="yes"\nFW_FORWARD="192.168.90.0/24,192.168.10.0/24 192.168.10.0/33,192.168.90.0/24,tcp,http"\n');
    expect(problems).toEqual([
      {
        severity: 'error',
        file: '/etc/sysconfig/SuSEfirewall2',
        line: 2,
        column: 45,
        message: "FW_FORWARD entry 2 (192.168.10.0/33,192.168.90.0/24,tcp,http): '192.168.10.0/33' is not a network address",
      },
    ]);
  });

  it('checks ports against protocols like check_proto_port', () => {
    const { problems, config } = parseSfw2Config('FW_FORWARD="10.0.0.0/8,0/0,gre,5 10.0.0.0/8,0/0,tcp,https 10.0.0.0/8,0/0,icmp,echo-request"\nFW_SERVICES_EXT_TCP="ssh 3200:3299 nonsense"\n');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`).sort()).toEqual([
      '1:32 FW_FORWARD entry 1 (10.0.0.0/8,0/0,gre,5): port is only valid with tcp, udp or icmp',
      "2:36 FW_SERVICES_EXT_TCP entry 3 (nonsense): 'nonsense' is not a port, port range or service name",
    ]);
    expect(config.forward.map((f) => [f.protocol, f.port])).toEqual([
      ['tcp', '443'],
      ['icmp', '8'],
    ]);
  });

  it('warns about yes/no variables with other values, saying how the script reads them', () => {
    const { problems, config } = parseSfw2Config('FW_MASQUERADE="true"\n');
    expect(config.masquerade).toBe(false);
    expect(problems[0].message).toBe('FW_MASQUERADE="true" is neither yes nor no; SuSEfirewall2 treats it as no');
  });

  it('reads FW_ROUTE in the 3.6 form and the later IPv4/IPv6 form', () => {
    expect(parseSfw2Config('FW_ROUTE="yes"').config.route).toMatchObject({ ipv4: true, ipv6: true });
    expect(parseSfw2Config('FW_ROUTE="IPv4"').config.route).toMatchObject({ ipv4: true, ipv6: false });
    expect(parseSfw2Config('').config.route).toMatchObject({ ipv4: false, ipv6: false });
  });

  it('round-trips the shipped-file layout byte for byte when one variable is edited', () => {
    const text = '## Path:\tNetwork/Firewall\n## Type:\tyesno\n#\n# 5.)\nFW_ROUTE="no"\n\nFW_FORWARD=""\n';
    const edited = writeSfw2Variables(text, { FW_FORWARD: '192.168.10.0/24,192.168.90.0/24' });
    expect(edited).toBe('## Path:\tNetwork/Firewall\n## Type:\tyesno\n#\n# 5.)\nFW_ROUTE="no"\n\nFW_FORWARD="192.168.10.0/24,192.168.90.0/24"\n');
    expect(parseSfw2Config(edited).config.forward).toHaveLength(1);
  });
});
