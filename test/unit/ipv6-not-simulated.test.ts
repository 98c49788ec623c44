// IPv6 is not simulated. Wherever a user asks an IPv6 question — a guest that has only an IPv6
// address (static, or on an IPv6-only network), an IPv6 destination or source — the answer says so:
// the matrix cell and the flow verdict carry cause 'ipv6-not-simulated' with no deciding rule
// (never the red "no DHCP lease" an IPv4 check would give), `virtwall matrix` prints "IPv6 n/a",
// the app colours the cell neither green nor red, and a flow request with an IPv6 address is
// refused naming IPv6. IPv4 guests of the same lab are unaffected.

import { describe, expect, it } from 'vitest';
import { formatMatrix } from '../../cli/commands/matrix.ts';
import { toneOf } from '../../renderer/src/simulation/verdictView.ts';
import { FlowRequestError } from '../../shared/simulator/flowTypes.ts';
import { labMatrix, simulateFlow } from '../../shared/simulator/simulateFlow.ts';
import { storyLab } from '../../shared/simulator/simulatorTestkit.testkit.ts';
import type { Lab } from '../../shared/lab/labModel.ts';

const V6_NET = `<network>
  <name>v6only</name>
  <forward mode='nat'/>
  <bridge name='virbr7'/>
  <ip family='ipv6' address='fd00:77::1' prefix='64'>
    <dhcp><range start='fd00:77::100' end='fd00:77::1ff'/></dhcp>
  </ip>
</network>
`;

function lab(): Lab {
  const l = storyLab('nat');
  l.networks.push({ id: 'net-v6', xml: V6_NET, autostart: true });
  l.guests.push({ id: 'guest-static6', name: 'static6', networkId: 'net-deb', address: 'fd00:10::50', listens: [] });
  l.guests.push({ id: 'guest-v6net', name: 'v6net', networkId: 'net-v6', listens: [] });
  return l;
}

describe('IPv6-only questions get no IPv4 verdict', () => {
  const m = labMatrix(lab());
  const cellsOf = (guest: string) => m.cells.filter((c) => c.guest === guest);

  it('matrix: every cell of a static-IPv6 guest and of a guest on an IPv6-only network says IPv6 is not simulated', () => {
    for (const [guest, why] of [['guest:guest-static6', 'static6 has only the IPv6 address fd00:10::50'], ['guest:guest-v6net', 'network v6only of v6net is IPv6 only']]) {
      const cells = cellsOf(guest);
      expect(cells.length).toBeGreaterThan(0);
      for (const c of cells) {
        expect(c.verdict).toMatchObject({ cause: 'ipv6-not-simulated', guestSees: 'not simulated (IPv6)', decidedBy: null, hop: null });
        expect(c.verdict.headline).toContain(`${why}: IPv6 is not simulated`);
        expect(toneOf(c.verdict)).toBe('unknown');
      }
    }
  });

  it('matrix: the IPv4 guest of the same lab still gets real verdicts (green or red)', () => {
    const kali = cellsOf('guest:guest-kali');
    expect(kali.some((c) => c.verdict.cause === 'ok')).toBe(true);
    expect(kali.every((c) => c.verdict.cause !== 'ipv6-not-simulated')).toBe(true);
    expect(kali.map((c) => toneOf(c.verdict))).not.toContain('unknown');
  });

  it('virtwall matrix prints "IPv6 n/a" for those cells and the reason below, never ok/error', () => {
    const text = formatMatrix(m);
    const block = text.slice(text.indexOf('static6:'), text.indexOf('\n\n', text.indexOf('static6:') + 10) + 200);
    expect(block).toContain('IPv6 n/a');
    expect(block).not.toMatch(/\bok\b|\berror\b/);
    expect(text).toContain('static6: no verdict — static6 has only the IPv6 address fd00:10::50: IPv6 is not simulated');
  });

  it('a flow from an IPv6-only guest: the same verdict', () => {
    expect(simulateFlow(lab(), { from: 'static6', to: '192.168.90.1', service: 'icmp' })).toMatchObject({ cause: 'ipv6-not-simulated', guestSees: 'not simulated (IPv6)' });
  });

  it('a flow to or from an IPv6 address is refused, naming IPv6', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof FlowRequestError ? e.message : `unexpected ${String(e)}`;
      }
      return 'no error';
    };
    expect(err(() => simulateFlow(lab(), { from: 'kali', to: 'fd00:90::1', service: 'icmp' }))).toBe('destination "fd00:90::1" is not an IPv4 address: it is IPv6, and IPv6 is not simulated (only IPv4 flows have a verdict)');
    expect(err(() => simulateFlow(lab(), { from: 'fd00:10::50', to: '192.168.90.1', service: 'icmp' }))).toBe('--from "fd00:10::50" is an IPv6 address: IPv6 is not simulated (give the guest\'s IPv4 address or its name)');
  });
});
