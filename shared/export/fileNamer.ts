// Hands out bundle paths that stay distinct on case-insensitive media (FAT32,
// exFAT: `DEB.xml` and `deb.xml` are one file there) by adding ~2, ~3, … to
// the stem of a later name that would collide.

export class FileNamer {
  private readonly taken = new Set<string>();

  /** Reserve an exact path (fixed names like apply.sh); throws if it is already taken. */
  reserve(path: string): string {
    const key = path.toLowerCase();
    if (this.taken.has(key)) throw new Error(`bundle path ${path} given twice`);
    this.taken.add(key);
    return path;
  }

  /** `dir/stem.ext`, or `dir/stem~N.ext` when that is taken (case-insensitively). */
  unique(dir: string, stem: string, ext: string): string {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (let n = 1; ; n++) {
      const path = `${prefix}${stem}${n === 1 ? '' : `~${n}`}${ext}`;
      if (!this.taken.has(path.toLowerCase())) {
        this.taken.add(path.toLowerCase());
        return path;
      }
    }
  }
}
