// Renders build/icon.svg to the PNGs electron-builder packages (build/icon.png
// 1024 px for macOS/Windows conversion, build/icons/NxN.png for Linux) with
// Debian's Chromium through playwright-core. Run after changing the logo:
//   node scripts/render-icons.mjs
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'build/icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.VIRTWALL_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  mkdirSync(join(root, 'build/icons'), { recursive: true });
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`);
    const out = size === 1024 ? join(root, 'build/icon.png') : join(root, `build/icons/${size}x${size}.png`);
    await page.screenshot({ path: out, omitBackground: true });
    console.log(`wrote ${out}`);
  }
} finally {
  await browser.close();
}
