// Why a variant cannot be exported, in words the user can act on: every
// problem names the value and where it came from (network XML line:column,
// "host route 2", "layer SuSEfirewall2 file /etc/sysconfig/SuSEfirewall2").

export class ExportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `the variant cannot be exported:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ExportError';
  }
}
