// layers/…: each firewall layer's own configuration, in the form the tool
// reads, for making the variant permanent (apply.sh loads the effective rules
// for the running system; at the next boot each tool rebuilds its rules from
// these files, so they must say the same thing):
//   - every config file of the layer, under layers/<kind>/ + its host path
//     (Docker's commands file too: the README says to run it once dockerd is up);
//   - SuSEfirewall2: SuSEfirewall2.FW-fragment — only the FW_* assignments, to
//     merge into /etc/sysconfig/SuSEfirewall2 (the rest of a sysconfig file is
//     distribution comments the admin's copy already has);
//   - firewalld: firewall-cmd.sh — installs the zone/policy/firewalld.conf
//     files, binds interfaces to zones as the layer settings say, checks the
//     permanent configuration (firewall-cmd --check-config) and reloads.
// Host paths and names from the lab are quoted (shQuote) and only files under
// /etc/firewalld/ are installed by firewall-cmd.sh.

import type { Layer } from '../lab/labModel.ts';
import { DOCKER_COMMANDS_PATH } from '../layers/docker/dockerCommandsFile.ts';
import { parseShellVariables } from '../layers/susefirewall2/shellVariableFile.ts';
import type { BundleFile } from './bundleTypes.ts';
import { ExportError } from './exportError.ts';
import { fatSafeStem } from './fatFileName.ts';
import type { FileNamer } from './fileNamer.ts';
import { interfaceNameProblem } from './kernelNames.ts';
import { commentText, shQuote } from './shellQuote.ts';

export interface LayerFilesResult {
  files: BundleFile[];
  /** README lines: per layer, how to make it permanent. */
  readme: string[];
  warnings: string[];
}

function safeDirName(path: string): string[] {
  return path.split('/').filter((p) => p !== '').map(fatSafeStem);
}

function fwFragment(layer: Layer, path: string, text: string): string {
  const parsed = parseShellVariables(text, path);
  const lines = [
    `# FW_* settings of the SuSEfirewall2 layer ${commentText(layer.label)} (virtwall). Merge them into`,
    `# ${commentText(path)} (replace the assignments of the same name), then: SuSEfirewall2 start`,
  ];
  for (const a of parsed.assignments) if (a.name.startsWith('FW_')) lines.push(text.slice(a.start, a.end).trimEnd());
  return `${lines.join('\n')}\n`;
}

const FIREWALLD_ETC = /^\/etc\/firewalld\/(?:firewalld\.conf|zones\/[^/]+\.xml|policies\/[^/]+\.xml)$/;

function firewallCmdScript(layer: Layer, installed: { from: string; to: string }[]): string {
  const lines = [
    '#!/bin/sh',
    '# shellcheck disable=SC2016 # host paths and names from the lab are single-quoted so they never expand',
    `# Installs the firewalld configuration of layer ${commentText(layer.label)} (virtwall) and reloads firewalld.`,
    '# Run as root: sh firewall-cmd.sh  — each replaced file is kept as FILE.virtwall-old.',
    'set -eu',
    'here=$(dirname "$0")',
  ];
  for (const f of installed) {
    lines.push(`if [ -e ${shQuote(f.to)} ]; then cp -p ${shQuote(f.to)} ${shQuote(`${f.to}.virtwall-old`)}; fi`);
    lines.push(`install -m 0644 "$here"/${shQuote(f.from)} ${shQuote(f.to)}`);
  }
  const errors: string[] = [];
  for (const [key, zone] of Object.entries(layer.settings)) {
    const m = /^interface:(.+)$/.exec(key);
    if (!m || typeof zone !== 'string') continue;
    const problem = interfaceNameProblem(m[1]);
    if (problem) errors.push(`layer ${JSON.stringify(layer.label)} setting ${JSON.stringify(key)}: interface name ${problem}`);
    else if (!/^[A-Za-z0-9_-]{1,32}$/.test(zone)) errors.push(`layer ${JSON.stringify(layer.label)} setting ${JSON.stringify(key)}: zone name ${JSON.stringify(zone)} is not a firewalld zone name`);
    else lines.push(`firewall-cmd --permanent --zone=${shQuote(zone)} --change-interface=${shQuote(m[1])}`);
  }
  if (errors.length) throw new ExportError(errors);
  // --check-config validates the permanent XML files before the reload uses them (firewall-cmd(1)).
  lines.push('firewall-cmd --check-config', 'firewall-cmd --reload');
  return `${lines.join('\n')}\n`;
}

export function layerFiles(layers: readonly Layer[], namer: FileNamer): LayerFilesResult {
  const files: BundleFile[] = [];
  const readme: string[] = [];
  const warnings: string[] = [];
  const kinds = new Map<string, number>();
  for (const layer of layers) {
    if (layer.kind === 'raw-ruleset') {
      readme.push(`- ${commentText(layer.label)} (raw ruleset imported from a host): its rules are part of firewall/*.rules; nothing else to install.`);
      continue;
    }
    const n = (kinds.get(layer.kind) ?? 0) + 1;
    kinds.set(layer.kind, n);
    const dir = `layers/${layer.kind}${n > 1 ? `-${n}` : ''}`;
    const copied: { host: string; bundle: string }[] = [];
    for (const [hostPath, text] of Object.entries(layer.files)) {
      const parts = safeDirName(hostPath);
      const name = parts.pop() ?? 'file';
      const dot = name.lastIndexOf('.');
      const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
      const path = namer.unique([dir, ...parts].join('/'), stem, ext);
      files.push({ path, text, description: `${layer.label}: ${commentText(hostPath)} as configured in the lab` });
      copied.push({ host: hostPath, bundle: path });
    }
    const where = copied.map((c) => `${c.bundle} → ${commentText(c.host)}`).join('; ');
    switch (layer.kind) {
      case 'susefirewall2': {
        const main = copied.find((c) => c.host === '/etc/sysconfig/SuSEfirewall2') ?? copied[0];
        if (main) {
          const path = namer.unique(dir, 'SuSEfirewall2', '.FW-fragment');
          files.push({ path, text: fwFragment(layer, main.host, layer.files[main.host]), description: `${layer.label}: the FW_* lines to merge into /etc/sysconfig/SuSEfirewall2` });
          readme.push(`- ${commentText(layer.label)}: merge ${path} into /etc/sysconfig/SuSEfirewall2 (or install ${main.bundle} whole), then run \`SuSEfirewall2 start\`. It flushes all tables and, from 3.6.346 on, sends SIGHUP to libvirtd, which re-inserts libvirt's rules on top.`);
        }
        break;
      }
      case 'firewalld': {
        const installable = copied.filter((c) => FIREWALLD_ETC.test(c.host) && !c.host.split('/').includes('..'));
        const skipped = copied.filter((c) => !installable.includes(c));
        const script = namer.unique(dir, 'firewall-cmd', '.sh');
        const rel = (p: string): string => p.slice(dir.length + 1);
        files.push({ path: script, text: firewallCmdScript(layer, installable.map((c) => ({ from: rel(c.bundle), to: c.host }))), description: `${layer.label}: installs the zone/policy files and reloads firewalld (sh ${script})` });
        readme.push(`- ${commentText(layer.label)}: run \`sh ${script}\` as root: it installs the zone and policy files, binds interfaces to zones and runs firewall-cmd --check-config and --reload. firewalld's reload makes libvirt re-add its rules.`);
        for (const s of skipped) warnings.push(`${layer.label}: ${s.host} is not a firewalld.conf, zone or policy file; firewall-cmd.sh does not install it (copy in ${s.bundle})`);
        break;
      }
      case 'ufw':
        readme.push(`- ${commentText(layer.label)}: install the files (${where}), then \`ufw reload\`.`);
        break;
      case 'docker': {
        const commands = copied.find((c) => c.host === DOCKER_COMMANDS_PATH);
        const config = copied.filter((c) => c !== commands).map((c) => `${c.bundle} → ${commentText(c.host)}`).join('; ');
        readme.push(`- ${commentText(layer.label)}: ${config ? `install ${config}, then ` : ''}\`systemctl restart docker\` (Docker re-creates its chains and re-inserts its jumps at the top).${commands ? ` Then run the Docker commands of ${commands.bundle} once (\`sh ${commands.bundle}\`: its networks and containers; dockerd keeps the networks across restarts).` : ''}`);
        break;
      }
      case 'own-script':
        readme.push(`- ${commentText(layer.label)}: install ${where} and keep the unit that runs it at boot. Note: libvirtd re-inserts its rules above the script's on every restart or SIGHUP.`);
        break;
    }
  }
  return { files, readme, warnings };
}
