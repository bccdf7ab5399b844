import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';

export interface StaticAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * The static files live next to their source (there is no frontend build); the compiled module in
 * dist/ reads them from the source tree.
 */
export function staticDir(moduleUrl: string, folder = 'static'): string {
  const here = fileURLToPath(new URL('.', moduleUrl));
  const marker = `${sep}dist${sep}src${sep}`;
  const source = here.includes(marker) ? here.replace(marker, `${sep}src${sep}`) : here;
  return join(source, folder);
}

/** Loads a fixed set of files once at startup, so a request can never name a path on disk. */
export async function loadAssets(dir: string, names: readonly string[]): Promise<Map<string, StaticAsset>> {
  const assets = new Map<string, StaticAsset>();
  for (const name of names) {
    const ext = name.slice(name.lastIndexOf('.'));
    assets.set(name, { body: await readFile(join(dir, name)), contentType: TYPES[ext] ?? 'application/octet-stream' });
  }
  return assets;
}

export function sendAsset(res: ServerResponse, asset: StaticAsset): void {
  res.writeHead(200, {
    'content-type': asset.contentType,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // Everything the page needs is same-origin; the OAuth consent opens in a new tab.
    'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
  });
  res.end(asset.body);
}
