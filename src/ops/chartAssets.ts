import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { StaticAsset } from '../channels/web/staticAssets.js';

/**
 * uPlot (the charting library) served by our own route from node_modules, so the page needs no CDN
 * and stays within its same-origin content security policy.
 */
export async function chartAssets(): Promise<Map<string, StaticAsset>> {
  const require = createRequire(import.meta.url);
  return new Map([
    ['uplot.js', { body: await readFile(require.resolve('uplot/dist/uPlot.esm.js')), contentType: 'text/javascript; charset=utf-8' }],
    ['uplot.css', { body: await readFile(require.resolve('uplot/dist/uPlot.min.css')), contentType: 'text/css; charset=utf-8' }],
  ]);
}
