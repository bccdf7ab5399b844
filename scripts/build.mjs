// Transpiles the TypeScript sources to dist/ with SWC, file by file, the same transform the tests
// run through. Type checking is `npm run typecheck` (tsc); keeping it out of the build makes
// `npm start` on a fresh clone come up in seconds instead of waiting for a full tsc emit.
// Plain JavaScript on purpose: it must run before anything is compiled.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile } from '@swc/core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const sourceRoots = ['src', 'connectors', 'bench', 'scripts'];

/** @param {string} dir @returns {Promise<string[]>} */
async function typescriptFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map(async (entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typescriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  }));
  return nested.flat();
}

/** @param {string} file */
async function compile(file) {
  const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
  const { code, map } = await transformFile(file, {
    sourceMaps: true,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' }, experimental: { keepImportAttributes: true } },
    module: { type: 'es6' },
    outputPath: target,
  });
  await mkdir(dirname(target), { recursive: true });
  const mapName = `${target.split('/').pop()}.map`;
  await writeFile(target, `${code}\n//# sourceMappingURL=${mapName}\n`);
  if (map) await writeFile(`${target}.map`, map);
}

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
const files = (await Promise.all(sourceRoots.map((dir) => typescriptFiles(join(root, dir))))).flat();
await Promise.all(files.map(compile));
process.stderr.write(`built ${files.length} files into dist/ in ${Date.now() - started} ms\n`);
