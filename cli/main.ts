// Entry of the `virtwall` CLI (bundled to dist/cli/virtwall.js by `npm install`).

import { COMMANDS, type CommandEntry } from './commandTable.ts';
import { UsageError, type CliIo } from './io.ts';

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length), 10);
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`);
  return `usage: virtwall COMMAND [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

function findCommand(argv: string[]): { entry: CommandEntry; rest: string[] } | null {
  // Longest match first: "project new" before "project".
  const sorted = [...COMMANDS].sort((a, b) => b.words.length - a.words.length);
  for (const entry of sorted) {
    if (entry.words.every((w, i) => argv[i] === w)) return { entry, rest: argv.slice(entry.words.length) };
  }
  return null;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(helpText());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`virtwall: unknown command '${argv.join(' ')}'\n\n${helpText()}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout(`usage: virtwall ${found.entry.usage}\n  ${found.entry.summary}\n`);
    return 0;
  }
  try {
    const command = await found.entry.load();
    return await command(found.rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`virtwall ${found.entry.words.join(' ')}: ${err.message}\nusage: virtwall ${found.entry.usage}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`virtwall ${found.entry.words.join(' ')}: ${message}\n`);
    return 1;
  }
}

/**
 * `virtwall … | head -1`: once the reader has gone, writes fail with EPIPE, which Node reports as an
 * unhandled 'error' event (a stack trace and exit 1). Like other tools, stop writing quietly instead:
 * later output is dropped and the command still ends with its own exit code.
 */
function writerIgnoringClosedPipe(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

// Run when executed (the bundle), not when imported by tests.
const isEntry = typeof process !== 'undefined' && process.argv[1] && /virtwall(\.js)?$|cli[\\/]main\.ts$/.test(process.argv[1]);
if (isEntry || (globalThis as { __VIRTWALL_CLI__?: boolean }).__VIRTWALL_CLI__) {
  const code = await runCli(process.argv.slice(2), {
    stdout: writerIgnoringClosedPipe(process.stdout),
    stderr: writerIgnoringClosedPipe(process.stderr),
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
