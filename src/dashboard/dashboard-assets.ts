import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../divisions/load-divisions.js';

export interface Asset {
  readonly body: Buffer;
  /** The same bytes gzipped, for clients that accept it (ECharts is ~1 MB, ~350 kB gzipped). */
  readonly gzipped: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Where the page's own files live: `dashboard/` at the project root (beside src and dist). */
export function dashboardFolder(): string {
  return join(projectRoot(), 'dashboard');
}

/** ECharts' browser bundle, resolved from node_modules at run time (no CDN, no copy in the tree). */
export function echartsBundle(): string {
  return createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
}

function asset(name: string, body: Buffer): Asset {
  return {
    body,
    gzipped: gzipSync(body),
    contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
    etag: `"${body.length.toString(36)}-${hash(body)}"`,
  };
}

/** A short content hash for the ETag (FNV-1a: enough to tell versions of a file apart). */
function hash(body: Buffer): string {
  let h = 0x811c9dc5;
  for (const byte of body) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(36);
}

/**
 * A page's static files, read once at start: a fixed set of names (no path from a request ever
 * reaches the file system), the files of `folder`, the `vendor/` files named by `vendor` (a name
 * → a file resolved in node_modules), and generated `extra` files.
 */
export function loadAssets(
  folder: string,
  vendor: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
): ReadonlyMap<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(folder)) {
    if (CONTENT_TYPES[extname(name)] === undefined) continue;
    assets.set(name, asset(name, readFileSync(join(folder, name))));
  }
  for (const [name, file] of Object.entries(vendor))
    assets.set(`vendor/${name}`, asset(name, readFileSync(file)));
  for (const [name, text] of Object.entries(extra))
    assets.set(name, asset(name, Buffer.from(text)));
  return assets;
}

/** The dashboard's files and the ECharts bundle under `vendor/`. */
export function loadDashboardAssets(
  folder = dashboardFolder(),
  extra: Readonly<Record<string, string>> = {},
): ReadonlyMap<string, Asset> {
  return loadAssets(folder, { 'echarts.min.js': echartsBundle() }, extra);
}
