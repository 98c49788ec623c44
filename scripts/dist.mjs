// npm run dist: installable packages with electron-builder (AppImage and deb on
// Linux, nsis on Windows, dmg on macOS; configuration in electron-builder.yml).
// Needs internet (electron-builder downloads Electron and its tools) and
// Node >= 22.12 (electron-builder 26 and Electron 45's installer). Arguments go
// to electron-builder, e.g. `npm run dist -- --linux deb`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './electronBinary.mjs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`npm run dist needs Node.js 22.12 or newer (this is ${process.versions.node}); use nvm or a container with Node 22.`);
  process.exit(1);
}

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
run(process.execPath, [join(root, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)]);
