// Export until the bundle writer of the export feature is plugged in: each
// network of the variant as NAME.xml in a folder, ready for `virsh net-define`.
// Files are written under a temporary name and renamed, so a full disk never
// leaves half a file; existing files are only replaced when asked to.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExportReport, ExportRequest } from '../../../../shared/api/contract.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { hasErrors } from '../../../../shared/libvirt/networkProblem.ts';
import { parseNetworkXml } from '../../../../shared/libvirt/parseNetworkXml.ts';
import { validateNetwork } from '../../../../shared/libvirt/validateNetwork.ts';

export class ExportError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** libvirt names may hold almost anything but '/'; FAT32 sticks refuse more (\ : * ? " < > |). */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_').trim();
  return cleaned.length > 0 ? cleaned.slice(0, 120) : 'network';
}

export async function exportNetworkXmlFolder(variant: { name: string; lab: Lab }, request: ExportRequest): Promise<ExportReport> {
  if (/^ssh:\/\//i.test(request.target)) {
    throw new ExportError('export over SSH is not available in this build yet; export to a folder and copy it to the host', 'ENOTSUP');
  }
  const folder = resolve(request.target);
  if (existsSync(folder) && !statSync(folder).isDirectory()) throw new ExportError(`${folder} is a file; pick a folder`, 'ENOTDIR');

  const warnings: string[] = [];
  const planned: { name: string; text: string }[] = [];
  for (const network of variant.lab.networks) {
    const parsed = parseNetworkXml(network.xml);
    const name = parsed.network?.name ?? network.id;
    if (hasErrors(validateNetwork(parsed))) warnings.push(`network ${name}: libvirt would refuse this XML; fix the errors shown in the network editor before defining it`);
    let file = `${safeFileName(name)}.xml`;
    for (let n = 2; planned.some((p) => p.name === file); n++) file = `${safeFileName(name)}-${n}.xml`;
    planned.push({ name: file, text: network.xml });
  }
  if (planned.length === 0) warnings.push(`variant ${variant.name} has no networks: nothing to export`);

  const files = planned.map((p) => ({
    path: join(folder, p.name),
    bytes: Buffer.byteLength(p.text),
    sha256: createHash('sha256').update(p.text).digest('hex'),
  }));
  const clashes = files.filter((f) => existsSync(f.path)).map((f) => f.path);
  if (clashes.length > 0 && !request.overwrite && !request.dryRun) {
    throw new ExportError(`${clashes.join(', ')} already exist${clashes.length === 1 ? 's' : ''}; choose another folder or allow replacing`, 'EEXIST');
  }
  if (!request.dryRun) {
    try {
      mkdirSync(folder, { recursive: true });
      for (const [i, p] of planned.entries()) {
        const temp = join(folder, `.${p.name}.virtwall-tmp`);
        try {
          writeFileSync(temp, p.text, { flush: true });
          renameSync(temp, files[i].path);
        } finally {
          rmSync(temp, { force: true });
        }
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the medium is read-only' : (err as Error).message;
      throw new ExportError(`cannot write to ${folder}: ${why}`, code);
    }
  }
  return { target: folder, files, dryRun: request.dryRun === true, warnings };
}
