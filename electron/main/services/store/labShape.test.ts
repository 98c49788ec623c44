import { describe, expect, it } from 'vitest';
import { defaultLab } from '../../../../shared/lab/defaultLab.ts';
import { sequentialIds } from '../../../../shared/lab/labIds.ts';
import { sampleProjectVariants } from '../../../../shared/lab/sampleLab.ts';
import { labShapeProblem } from './labShape.ts';

const base = () => sampleProjectVariants()[2].lab as unknown as Record<string, unknown> & ReturnType<typeof defaultLab>;

describe('labShapeProblem', () => {
  it('accepts the default lab, every sample variant, and unknown extra fields', () => {
    expect(labShapeProblem(defaultLab(sequentialIds()))).toBeNull();
    for (const { lab } of sampleProjectVariants()) expect(labShapeProblem(lab)).toBeNull();
    expect(labShapeProblem({ ...base(), futureField: { anything: [1, 2] } })).toBeNull();
  });

  it('names the path of the first wrong field', () => {
    type Lab = ReturnType<typeof base>;
    const cases: [string, (l: Lab) => unknown][] = [
      ['lab.networks must be an array', (l) => ({ ...l, networks: 'deb' })],
      ['lab.host.iptablesBackend is "ipchains", expected one of legacy, nft', (l) => ({ ...l, host: { ...l.host, iptablesBackend: 'ipchains' } })],
      ['lab.layers[0].kind is "pf", expected one of susefirewall2, firewalld, ufw, docker, own-script, raw-ruleset', (l) => ({ ...l, layers: [{ ...l.layers[0], kind: 'pf' }] })],
      ['lab.layers[0].files["/usr/local/sbin/fw.sh"] must be a string', (l) => ({ ...l, layers: [{ ...l.layers[0], files: { '/usr/local/sbin/fw.sh': 42 } }] })],
      ['lab.events[0].phase is "sometime", expected one of boot, later', (l) => ({ ...l, events: [{ ...l.events[0], phase: 'sometime' }] })],
      ['lab.guests[0].listens must be an array', (l) => ({ ...l, guests: [{ ...l.guests[0], listens: 'tcp/22' }] })],
      ['lab.gateway is missing', (l) => ({ ...l, gateway: undefined, internet: l.internet })],
      ['lab must be an object', () => 'not a lab'],
    ];
    for (const [message, make] of cases) expect(labShapeProblem(make(base()))).toBe(message);
  });

  it('refuses an id used twice, across kinds', () => {
    const lab = base();
    lab.guests[0].id = lab.networks[0].id;
    expect(labShapeProblem(lab)).toBe('lab: id "net-deb" is used twice (ids are unique across networks, guests, layers and events)');
  });
});
