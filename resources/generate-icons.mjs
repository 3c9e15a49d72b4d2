#!/usr/bin/env node
// Renders resources/icon.svg to the PNG icons electron-builder and the development window use.
// Run `node resources/generate-icons.mjs` after changing the SVG; the PNGs are committed.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = path.dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(path.join(here, 'icon.svg'));

// 1024 px is macOS's largest icon size (electron-builder makes the .icns and Windows .ico from it);
// Linux desktops pick from the per-size files in icons/ (freedesktop icon theme sizes).
const MASTER_SIZE = 1024;
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
// Rasterise the SVG well above the largest size so curves stay smooth after the downscale.
const RASTER_DENSITY = 144;

async function render(size, file) {
  await sharp(svg, { density: RASTER_DENSITY })
    .resize(size, size, { kernel: 'lanczos3' })
    .png({ compressionLevel: 9 })
    .toFile(file);
  console.log(`wrote ${path.relative(process.cwd(), file)} (${size}×${size})`);
}

mkdirSync(path.join(here, 'icons'), { recursive: true });
await render(MASTER_SIZE, path.join(here, 'icon.png'));
for (const size of LINUX_SIZES) await render(size, path.join(here, 'icons', `${size}x${size}.png`));
