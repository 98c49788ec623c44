// Reading variants' labs from a project file for simulate/matrix/compare
// (read-only: the project is never written).

import type { Lab } from '../../shared/lab/labModel.ts';
import { UsageError } from '../io.ts';
import { cliProjectStore } from './projectCliStore.ts';

/** Labs of the named variants (by name or id), in the order asked. */
export function readVariantLabs(path: string, variants: string[]): { name: string; lab: Lab }[] {
  const store = cliProjectStore();
  try {
    const info = store.open(path, { readOnly: true });
    return variants.map((want) => {
      const v = info.variants.find((x) => x.name === want) ?? info.variants.find((x) => x.id === want);
      if (!v) throw new UsageError(`no variant ${JSON.stringify(want)} in ${path} (variants: ${info.variants.map((x) => JSON.stringify(x.name)).join(', ')})`);
      return { name: v.name, lab: store.getVariant(v.id).lab };
    });
  } finally {
    store.close();
  }
}
