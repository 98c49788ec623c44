// npm start: build the app with electron-vite (offline) and launch Electron.
// The first start downloads the Electron binary with electron's own installer
// (internet once; `npm install` never fetches it). Extra arguments go to the
// app, e.g. `npm start -- ~/labs/home.virtwall`. `--build-only` stops after
// the build (used by checks that must not start Electron).
import { spawn, spawnSync } from 'node:child_process';
import { electronBinary, electronInstaller, root } from './electronBinary.mjs';
import { join } from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`virtwall needs Node.js 20.19 or newer (this is ${process.versions.node}).`);
  process.exit(1);
}

const args = process.argv.slice(2);
const buildOnly = args.includes('--build-only');
const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
if (buildOnly) process.exit(0);

let binary = electronBinary();
if (!binary.path) {
  console.log(`First start: downloading Electron (${binary.reason}).`);
  const install = spawnSync(process.execPath, [electronInstaller()], { cwd: root, stdio: 'inherit' });
  binary = electronBinary();
  if (install.status !== 0 || !binary.path) {
    console.error('Electron could not be downloaded. It needs internet once; behind a proxy set HTTPS_PROXY, or set ELECTRON_MIRROR.');
    process.exit(1);
  }
}

const env = { ...process.env };
// An inherited ELECTRON_RUN_AS_NODE would start Electron as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
const extra = [];
// Chromium refuses to run as root with its sandbox on Linux; only then is it turned off.
if (process.platform === 'linux' && process.getuid?.() === 0) {
  console.warn('Running as root: starting Electron with --no-sandbox. Run virtwall as a normal user instead.');
  extra.push('--no-sandbox');
}
const child = spawn(binary.path, [...extra, root, ...args], { cwd: root, stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
