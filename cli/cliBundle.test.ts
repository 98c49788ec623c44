// The built CLI as a user runs it: a real `node virtwall.js` process writing
// into a real pipe, and what the bundle loads for one command (its start time).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

interface Metafile {
  outputs: Record<string, { imports: { path: string; kind: string }[]; inputs: Record<string, unknown>; entryPoint?: string }>;
}

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
let bundle: string;
let meta: Metafile;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vw-cli-bundle-'));
  // The bundle is ESM in .js files, as under the repository's "type": "module".
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  const script = pathToFileURL(join(root, 'scripts/build-cli.mjs')).href;
  const { buildCli } = (await import(script)) as { buildCli: (outdir: string) => Promise<Metafile> };
  meta = await buildCli(dir);
  bundle = join(dir, 'virtwall.js');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A dump whose trace is far longer than a pipe's buffer (64 KiB): 3000 rules visited. */
function longTraceDump(): string {
  const rules = Array.from({ length: 3000 }, (_, i) => `-A FORWARD -s 10.9.${i >> 8}.${i & 255}/32 -j DROP`);
  return `*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\n${rules.join('\n')}\nCOMMIT\n`;
}

describe('the virtwall process', () => {
  test('`virtwall rules trace … | head -1` prints one line and ends quietly (no EPIPE crash), with the command\'s own exit code', () => {
    const file = join(dir, 'long.rules');
    writeFileSync(file, longTraceDump());
    const trace = `"${process.execPath}" "${bundle}" rules trace "${file}" --in eth0 --out eth1 --src 10.1.2.3 --dst 10.2.3.4 --proto tcp --dport 80`;
    // Without head the output really is bigger than the pipe buffer, so head closes the pipe mid-write.
    const full = spawnSync('bash', ['-c', trace], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(full.stdout.length).toBeGreaterThan(200_000);
    const piped = spawnSync('bash', ['-c', `${trace} | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(piped.stdout).toBe(`${full.stdout.split('\n')[0]}\n`);
    expect(piped.stderr).toBe(`exit=${full.status}\n`);
  });

  test('both streams into a pipe closed after 100 bytes (2>&1 | head -c 100): nothing on the terminal, exit 0', () => {
    const file = join(dir, 'long.rules');
    writeFileSync(file, longTraceDump());
    const piped = spawnSync('bash', ['-c', `"${process.execPath}" "${bundle}" rules trace "${file}" --in eth0 --out eth1 --src 10.1.2.3 --dst 10.2.3.4 --proto udp --dport 53 2>&1 | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(piped.stdout).toBe('exit=0\n');
    expect(piped.stderr).toBe('');
  });
});

describe('the bundle is split per command', () => {
  /** Source files (repo-relative) a command loads: the entry, the command's chunk and their static imports. */
  function loadedSources(commandFile: string): string[] {
    const outputs = meta.outputs;
    const key = (abs: string) => Object.keys(outputs).find((k) => join(process.cwd(), k) === abs || k === abs) ?? abs;
    const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint?.endsWith('cli/main.ts'));
    const chunk = Object.keys(outputs).find((k) => k.endsWith('.js') && Object.keys(outputs[k].inputs).some((i) => i.endsWith(commandFile)));
    expect(entry).toBeDefined();
    expect(chunk).toBeDefined();
    const seen = new Set<string>();
    const visit = (out: string) => {
      if (seen.has(out) || !outputs[out]) return;
      seen.add(out);
      for (const imp of outputs[out].imports) if (imp.kind === 'import-statement') visit(key(imp.path));
    };
    visit(entry!);
    visit(chunk!);
    return [...seen].flatMap((o) => Object.keys(outputs[o].inputs)).map((i) => relative(root, join(process.cwd(), i)));
  }

  test('`rules check` loads the netfilter parser, not the simulator, the export, the XML code or SQLite', () => {
    const sources = loadedSources('cli/commands/rules-check.ts');
    expect(sources).toContain('shared/netfilter/iptables/parseIptablesSave.ts');
    expect(sources.filter((s) => /^shared\/(simulator|export|xml|libvirt|layers|lab)\/|electron\/|better-sqlite3|fast-xml-parser/.test(s))).toEqual([]);
  });
});
