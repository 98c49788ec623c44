// AppApi.exportVariant and `virtwall export`: build the bundle of a variant
// (shared/export/), then write it to a folder atomically or upload it to a
// host over SSH; a dry run only lists what would be written.

import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExportReport, ExportRequest } from '../../../../shared/api/contract.ts';
import type { Lab } from '../../../../shared/lab/labModel.ts';
import { buildExportBundle } from '../../../../shared/export/buildExportBundle.ts';
import type { ExportBundle } from '../../../../shared/export/bundleTypes.ts';
import { effectiveHostForExport } from '../../../../shared/export/effectiveHostForExport.ts';
import type { ExportFs } from './exportFs.ts';
import { defaultFold, type FoldTimeline } from './foldForExport.ts';
import { isSshTarget, parseSshTarget } from './sshTarget.ts';
import { uploadBundleOverSsh, type SshUploadOptions } from './sshUpload.ts';
import { plannedFiles, writeBundleFolder } from './writeBundleFolder.ts';

export interface ExportDeps {
  fold?: FoldTimeline;
  fs?: ExportFs;
  ssh?: Omit<SshUploadOptions, 'overwrite' | 'dryRun'>;
  projectName?: string;
  confirmSeconds?: number;
  newUuid?: () => string;
  newMac?: () => string;
}

export interface ExportOutcome extends ExportReport {
  /** What happens on the host for an SSH target (dry run: what would). */
  steps?: string[];
  check?: { exitCode: number; output: string };
}

function randomMac(): string {
  const b = randomBytes(3);
  return `52:54:00:${[...b].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
}

export function bundleForVariant(variant: { name: string; lab: Lab }, deps: ExportDeps = {}): ExportBundle {
  const effective = effectiveHostForExport((deps.fold ?? defaultFold)(variant.lab));
  return buildExportBundle(variant.lab, effective, {
    variantName: variant.name,
    projectName: deps.projectName,
    confirmSeconds: deps.confirmSeconds,
    newUuid: deps.newUuid ?? randomUUID,
    newMac: deps.newMac ?? randomMac,
  });
}

export async function exportVariantBundle(variant: { name: string; lab: Lab }, request: ExportRequest, deps: ExportDeps = {}): Promise<ExportOutcome> {
  const bundle = bundleForVariant(variant, deps);
  const dryRun = !!request.dryRun;
  if (isSshTarget(request.target)) {
    const target = parseSshTarget(request.target);
    const base = request.target.replace(/\/+$/, '');
    const result = await uploadBundleOverSsh(bundle, target, { ...deps.ssh, overwrite: request.overwrite, dryRun });
    return { target: request.target, dryRun, warnings: bundle.warnings, files: result.files.map((f) => ({ ...f, path: `${base}/${f.path}` })), steps: result.steps, check: result.check };
  }
  const folder = resolve(request.target);
  const warnings = [...bundle.warnings];
  if (dryRun && !request.overwrite && existsSync(folder)) warnings.push(`${folder} already exists: the export will be refused unless replacing it is allowed`);
  const files = dryRun ? plannedFiles(bundle) : await writeBundleFolder(bundle, folder, { overwrite: request.overwrite, fs: deps.fs });
  return { target: folder, dryRun, warnings, files: files.map((f) => ({ ...f, path: join(folder, f.path) })) };
}
