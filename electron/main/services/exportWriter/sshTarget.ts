// `ssh://user@host[:port]/path` → its parts. The path is absolute on the host
// (ssh://root@kvm/root/lab-export → /root/lab-export); `[v6]` hosts as in URLs.

import { ExportWriteError } from './exportWriteError.ts';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
  path: string;
}

export function isSshTarget(text: string): boolean {
  return /^ssh:\/\//i.test(text);
}

export function parseSshTarget(text: string): SshTarget {
  const m = /^ssh:\/\/(?:([^@/]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:/[\]]+)(?::(\d+))?(\/.*)$/i.exec(text);
  if (!m) throw new ExportWriteError(`${JSON.stringify(text)} is not ssh://user@host[:port]/path`, 'EINVAL');
  const [, user, rawHost, port, path] = m;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  // Names that ssh could read as options, or that hold shell or control characters, are refused outright.
  if (!/^[A-Za-z0-9._:-]+$/.test(host) || host.startsWith('-')) throw new ExportWriteError(`host ${JSON.stringify(host)} in ${text} is not a host name or address`, 'EINVAL');
  if (user !== undefined && (!/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user))) throw new ExportWriteError(`user ${JSON.stringify(user)} in ${text} is not a user name`, 'EINVAL');
  const portNumber = port === undefined ? undefined : Number(port);
  if (portNumber !== undefined && !(portNumber >= 1 && portNumber <= 65535)) throw new ExportWriteError(`port ${port} in ${text} is not 1…65535`, 'EINVAL');
  if (path === '/' || /[\u0000-\u001f]/.test(path) || path.split('/').includes('..')) throw new ExportWriteError(`path ${JSON.stringify(path)} in ${text} is not a folder path for the bundle`, 'EINVAL');
  return { user, host, port: portNumber, path: path.replace(/\/+$/, '') };
}

export function sshDestination(t: SshTarget): string {
  return t.user ? `${t.user}@${t.host}` : t.host;
}
