// Every problem in a layer's config files, positioned (file, line, column), for
// the editor beside each file and for `virtwall layer check`: SuSEfirewall2's
// sysconfig, firewalld's conf/zone/policy XML, ufw's defaults and rules files,
// Docker's daemon.json, an own script's unrunnable lines, a raw dump that is
// neither iptables-save nor nft output.

import type { Lab, Layer } from '../lab/labModel.ts';
import { parseNft } from '../netfilter/nft/parseNft.ts';
import { parseIptablesSave } from '../netfilter/iptables/parseIptablesSave.ts';
import { RulesetParseError } from '../netfilter/parseError.ts';
import type { ConfigProblem } from './layerActions.ts';
import { serviceFileLookup } from './susefirewall2/sfw2Configurations.ts';
import { parseSfw2Config, SFW2_SYSCONFIG_PATH } from './susefirewall2/sfw2Config.ts';
import { buildFirewalldSetup } from './firewalld/firewalldSetup.ts';
import { FIREWALLD_DEFAULT_VERSION } from './firewalld/firewalldDriver.ts';
import { parseUfwDefaults } from './ufw/ufwConfig.ts';
import { UFW_DEFAULTS_PATH } from './ufw/ufwShippedFiles.ts';
import { readIptablesRestore } from './ownScript/iptablesRestoreFile.ts';
import { parseDaemonJson } from './docker/dockerDaemonJson.ts';
import { dockerLayerConfig, dockerLayerWorkload } from './docker/dockerDriver.ts';
import { ownScriptActions, type OwnScriptFormat } from './ownScript/ownScriptActions.ts';
import { detectRawFormat } from './rawRuleset/rawRulesetActions.ts';

function fromParseError(e: unknown, file: string): ConfigProblem[] {
  if (e instanceof RulesetParseError) return e.problems.map((p) => ({ severity: 'error', file, line: p.line, column: p.column, message: p.message }));
  return [{ severity: 'error', file, line: 1, column: 1, message: e instanceof Error ? e.message : String(e) }];
}

export function layerProblems(layer: Layer, lab?: Lab): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  switch (layer.kind) {
    case 'susefirewall2':
      for (const [file, text] of Object.entries(layer.files)) if (file === SFW2_SYSCONFIG_PATH || Object.keys(layer.files).length === 1) out.push(...parseSfw2Config(text, file, { serviceFile: serviceFileLookup(layer.files) }).problems);
      break;
    case 'firewalld':
      out.push(...buildFirewalldSetup({ version: layer.version || FIREWALLD_DEFAULT_VERSION, files: layer.files, settings: layer.settings, libvirtVersion: lab?.host.libvirt.version ?? '', networks: lab?.networks ?? [] }).problems);
      break;
    case 'ufw':
      for (const [file, text] of Object.entries(layer.files)) {
        if (file === UFW_DEFAULTS_PATH) out.push(...parseUfwDefaults(text, file).problems);
        else if (file.endsWith('.rules')) for (const e of readIptablesRestore(text, { noflush: true }).errors) out.push({ severity: 'error', file, line: e.line, column: 1, message: e.reason });
      }
      break;
    case 'docker':
      for (const [file, text] of Object.entries(layer.files)) if (file.endsWith('.json')) out.push(...parseDaemonJson(text, file).problems);
      out.push(...dockerLayerWorkload(layer, dockerLayerConfig(layer).config).problems);
      break;
    case 'own-script': {
      const format: OwnScriptFormat = (['sh', 'iptables-restore', 'ip6tables-restore', 'nft'] as const).find((f) => f === layer.settings.format) ?? 'sh';
      const main = typeof layer.settings.main === 'string' && layer.files[layer.settings.main] !== undefined ? layer.settings.main : Object.keys(layer.files)[0];
      if (main === undefined) break;
      const program = ownScriptActions({ file: main, text: layer.files[main], format, files: layer.files, layerLabel: layer.label });
      for (const s of program.skipped) out.push({ severity: 'warning', file: main, line: s.line, column: 1, message: `skipped: ${s.reason} — ${s.text}` });
      break;
    }
    case 'raw-ruleset':
      for (const [file, text] of Object.entries(layer.files)) {
        const format = layer.settings.format === 'nft' || layer.settings.format === 'iptables-save' ? layer.settings.format : detectRawFormat(text);
        try {
          if (format === 'nft') parseNft(text, { file, lenient: true });
          else if (format === 'iptables-save') parseIptablesSave(text, { file, lenient: true });
          else out.push({ severity: 'error', file, line: 1, column: 1, message: 'neither iptables-save nor nft list ruleset output' });
        } catch (e) {
          out.push(...fromParseError(e, file));
        }
      }
      break;
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
