// The structured part of a layer's form: the settings of its main config file
// that decide what it does to forwarding, read from and written back into the
// real file text (only the changed variable's line changes; comments and YaST
// metadata stay). Kinds without such a file (firewalld's XML, own scripts,
// imported dumps) are edited in their files directly.

import type { Layer, LayerKind } from '../../../shared/lab/labModel.ts';
import { lastAssignment, parseShellVariables, setShellVariables } from '../../../shared/layers/susefirewall2/shellVariableFile.ts';
import { SFW2_SYSCONFIG_PATH } from '../../../shared/layers/susefirewall2/sfw2Config.ts';
import { UFW_DEFAULTS_PATH } from '../../../shared/layers/ufw/ufwShippedFiles.ts';
import { DOCKER_DAEMON_JSON_PATH, parseDaemonJson, writeDaemonJson } from '../../../shared/layers/docker/dockerDaemonJson.ts';

export interface LayerFormField {
  name: string;
  kind: 'text' | 'yesno' | 'policy' | 'bool';
}

export interface LayerForm {
  file: string;
  fields: LayerFormField[];
  read(text: string): Record<string, string | undefined>;
  write(text: string, name: string, value: string | null): string;
}

function shellForm(file: string, fields: LayerFormField[]): LayerForm {
  return {
    file,
    fields,
    read(text) {
      const vars = parseShellVariables(text, file);
      return Object.fromEntries(fields.map((f) => [f.name, lastAssignment(vars, f.name)?.value]));
    },
    write: (text, name, value) => setShellVariables(text, file, { [name]: value }),
  };
}

const text = (name: string): LayerFormField => ({ name, kind: 'text' });
const yesno = (name: string): LayerFormField => ({ name, kind: 'yesno' });

const FORMS: Partial<Record<LayerKind, LayerForm>> = {
  // openSUSE/susefirewall2 SuSEfirewall2.sysconfig: the variables of the story and of routing.
  susefirewall2: shellForm(SFW2_SYSCONFIG_PATH, [
    text('FW_DEV_EXT'), text('FW_DEV_INT'), text('FW_DEV_DMZ'), yesno('FW_ROUTE'), text('FW_FORWARD'), yesno('FW_MASQUERADE'), text('FW_MASQ_NETS'),
    text('FW_SERVICES_EXT_TCP'), text('FW_SERVICES_EXT_UDP'), yesno('FW_ALLOW_PING_FW'), yesno('FW_REJECT'), yesno('FW_AUTODETECT_INTERFACES'),
  ]),
  // ufw(8): /etc/default/ufw policies.
  ufw: shellForm(UFW_DEFAULTS_PATH, [
    { name: 'DEFAULT_INPUT_POLICY', kind: 'policy' }, { name: 'DEFAULT_OUTPUT_POLICY', kind: 'policy' }, { name: 'DEFAULT_FORWARD_POLICY', kind: 'policy' }, yesno('IPV6'), yesno('MANAGE_BUILTINS'),
  ]),
  docker: {
    file: DOCKER_DAEMON_JSON_PATH,
    fields: [{ name: 'iptables', kind: 'bool' }, { name: 'ip-forward', kind: 'bool' }, { name: 'ip-forward-no-drop', kind: 'bool' }, { name: 'icc', kind: 'bool' }, { name: 'firewall-backend', kind: 'text' }, { name: 'bip', kind: 'text' }],
    read(json) {
      const raw = parseDaemonJson(json || '{}').config.raw;
      return Object.fromEntries(['iptables', 'ip-forward', 'ip-forward-no-drop', 'icc', 'firewall-backend', 'bip'].map((k) => [k, raw[k] === undefined ? undefined : String(raw[k])]));
    },
    write(json, name, value) {
      const parsed = value === null ? undefined : value === 'true' ? true : value === 'false' ? false : value;
      return writeDaemonJson(json || '{}', { [name]: parsed });
    },
  },
};

export function layerForm(layer: Layer): LayerForm | null {
  return FORMS[layer.kind] ?? null;
}
