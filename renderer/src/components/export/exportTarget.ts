// Where the export dialog writes: the bundle goes into a new folder named after
// the variant inside the folder the user picked (an existing folder is replaced
// only when allowed), or to ssh://user@host[:port]/path as the backend accepts.

/** "isolated + SuSEfirewall2" → "isolated-SuSEfirewall2": a folder name every file system and shell takes. */
export function bundleFolderName(variantName: string): string {
  const slug = variantName.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return slug || 'virtwall-export';
}

/** The picked folder joined with the bundle folder, with the picked path's own separator. */
export function bundleTarget(pickedFolder: string, variantName: string): string {
  const sep = pickedFolder.includes('\\') && !pickedFolder.includes('/') ? '\\' : '/';
  return `${pickedFolder.replace(/[\\/]+$/, '')}${sep}${bundleFolderName(variantName)}`;
}

export function isSshTarget(text: string): boolean {
  return /^ssh:\/\//i.test(text.trim());
}

/** A report's file path relative to the target, for the table. */
export function relativeToTarget(path: string, target: string): string {
  const base = target.replace(/[\\/]+$/, '');
  return path.startsWith(base) ? path.slice(base.length).replace(/^[\\/]/, '') : path;
}
