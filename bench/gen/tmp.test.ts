import { test } from 'vitest';
import { generateFirewallSave } from './firewallGenerator.ts';
import { parseIptablesSave } from '../../shared/netfilter/iptables/parseIptablesSave.ts';
import { printIptablesSave } from '../../shared/netfilter/iptables/printIptablesSave.ts';
test('d', () => {
  const text = generateFirewallSave({ rules: 10000, seed: 1 });
  for (let i = 0; i < 5; i++) parseIptablesSave(text);
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) parseIptablesSave(text);
  const t1 = performance.now();
  const p = parseIptablesSave(text);
  for (let i = 0; i < 20; i++) printIptablesSave(p.ruleset);
  console.log('parse ms', (t1 - t0) / 20, 'print ms', (performance.now() - t1) / 20, text.length);
});
