// Real ufw 0.36.2 (Debian 12 and 13 packages, chroots made by scripts/layer-tools-root.sh)
// against the model. Each scenario writes the lab's /etc/default/ufw into a
// private copy, runs the same `ufw allow|route …` commands the lab's layer was
// built with, then `ufw --force enable` / `ufw reload` / `ufw disable` — inside a
// throwaway network namespace and a private mount namespace (toolSession.ts;
// nothing on the host changes). After every step the kernel's iptables-save and
// ip6tables-save must equal the model's state after the same events (the ufw
// driver replayed on a NetfilterState), table by table; and the user.rules /
// user6.rules ufw wrote must equal the files the model writes for those commands.
// Both iptables flavours the chroot has (iptables-nft, its default, and legacy).
// VIRTWALL_CAPTURE_DIR=DIR also writes every dump there (how the fixtures in
// test/fixtures/layers/ufw-0.36.2/ were captured).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UFW_CONF } from '../../shared/layers/ufw/ufwLogging.ts';
import { SHIPPED_UFW_DEFAULTS, SHIPPED_USER6_RULES, SHIPPED_USER_RULES, UFW_DEFAULTS_PATH, UFW_USER6_RULES, UFW_USER_RULES } from '../../shared/layers/ufw/ufwShippedFiles.ts';
import { iptablesDifferences } from './layerTools/compareIptables.ts';
import { TOOL_ROOTS, toolRootSkipReason, type ToolRoot } from './layerTools/toolRoot.ts';
import { runToolSession } from './layerTools/toolSession.ts';
import { UFW_SCENARIOS, UFW_VERSION, modelSteps, scenarioSteps, scenarioUfwLayer, type UfwScenario } from './layerTools/ufwScenarios.ts';

function runScenario(s: UfwScenario, flavour: 'nft' | 'legacy', tools: ToolRoot): void {
  const ufw = scenarioUfwLayer(s);
  const real = runToolSession({
    root: tools.root,
    tag: 'ufw',
    iptables: flavour,
    interfaces: ['eth1', 'virbr3'],
    privateDirs: ['/etc/ufw', '/lib/ufw'],
    privateFiles: ['/etc/default/ufw'],
    files: { ...(s.defaults ? { [UFW_DEFAULTS_PATH]: s.defaults } : {}), ...(s.ufwConf ? { [UFW_CONF]: s.ufwConf } : {}) },
    steps: scenarioSteps(s),
    dumps: [
      { name: 'ipv4', command: 'iptables-save' },
      { name: 'ipv6', command: 'ip6tables-save' },
    ],
    collect: [UFW_USER_RULES, UFW_USER6_RULES, UFW_DEFAULTS_PATH],
  });
  const capture = process.env.VIRTWALL_CAPTURE_DIR;
  real.steps.forEach((step, i) => {
    if (!capture) return;
    mkdirSync(capture, { recursive: true });
    for (const family of ['ipv4', 'ipv6'] as const) writeFileSync(join(capture, `${tools.label.replace(/ /g, '')}.${s.slug}.${flavour}.${i}-${step.name.replace(/ /g, '-')}.${family}.save`), step.dumps[family]);
  });
  const model = modelSteps(s, flavour);
  real.steps.forEach((step, i) => {
    expect({ step: step.name, status: step.status, output: step.output }).toMatchObject({ step: step.name, status: 0 });
    if (step.name === 'ufw commands') {
      // A file the model did not write for the commands must still be the shipped one.
      expect({ file: UFW_USER_RULES, text: step.files[UFW_USER_RULES] }).toEqual({ file: UFW_USER_RULES, text: ufw.files[UFW_USER_RULES] ?? SHIPPED_USER_RULES });
      expect({ file: UFW_USER6_RULES, text: step.files[UFW_USER6_RULES] }).toEqual({ file: UFW_USER6_RULES, text: ufw.files[UFW_USER6_RULES] ?? SHIPPED_USER6_RULES });
      expect({ file: UFW_DEFAULTS_PATH, text: step.files[UFW_DEFAULTS_PATH] }).toEqual({ file: UFW_DEFAULTS_PATH, text: ufw.files[UFW_DEFAULTS_PATH] ?? SHIPPED_UFW_DEFAULTS });
    }
    expect({ step: step.name, modelRefused: model[i].refused }).toEqual({ step: step.name, modelRefused: [] });
    for (const family of ['ipv4', 'ipv6'] as const) {
      expect({ step: step.name, differences: iptablesDifferences(family, step.dumps[family], model[i].iptables[family], flavour) }).toEqual({ step: step.name, differences: [] });
    }
  });
}

// ufw is 0.36.2 in both Debian 12 and 13; Debian 13 brings iptables 1.8.11.
for (const tools of TOOL_ROOTS) {
  const reason = toolRootSkipReason(`ufw reality suite (${tools.label})`, ['usr/sbin/ufw', 'lib/ufw/ufw-init', 'usr/sbin/iptables-nft', 'usr/sbin/iptables-legacy'], tools.root, tools.make);
  describe.skipIf(reason !== null)(`real ufw ${UFW_VERSION} (${tools.label}) vs the model (${reason ?? tools.root})`, () => {
    for (const flavour of ['nft', 'legacy'] as const) {
      for (const s of UFW_SCENARIOS) it(`iptables-${flavour}: ${s.name}`, () => runScenario(s, flavour, tools));
    }
  });
}
