/**
 * Builds the Teams app package to upload: manifest/teams/manifest.json with this deployment's bot
 * id and public URL filled in, checked against Microsoft's vendored manifest schema, plus the two
 * icons (drawn here with pngjs), zipped with jszip.
 *
 *   MICROSOFT_APP_ID=<guid> PUBLIC_URL=https://switchboard.example.com npm run manifest:teams
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { Validator, type Schema } from 'jsonschema';
import { PNG } from 'pngjs';
import { z } from 'zod';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TEAMS_MANIFEST_DIR = join(root, 'manifest', 'teams');
/** Microsoft's official schema, unmodified (see manifest/teams/schema/README.md). */
export const TEAMS_MANIFEST_SCHEMA_PATH = join(TEAMS_MANIFEST_DIR, 'schema', 'MicrosoftTeams.schema.json');

const guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID');
const inputSchema = z.object({
  appId: guid,
  /** The Teams app's own id; defaults to the bot id, as single-bot apps usually do. */
  teamsAppId: guid.optional(),
  publicUrl: z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL (Teams requires it)'),
  outDir: z.string().default(join(root, 'dist', 'teams')),
});
export type TeamsPackageInput = z.input<typeof inputSchema>;

const ACCENT = [0x2b, 0x57, 0x97] as const;

/** 192×192 full-colour icon: accent background with a white "switch" (two rounded bars and a knob). */
export function colorIcon(): Buffer {
  return draw(192, (x, y) => {
    const bar = (cy: number) => Math.abs(y - cy) < 10 && x > 40 && x < 152;
    const knob = (cx: number, cy: number) => (x - cx) ** 2 + (y - cy) ** 2 < 20 ** 2;
    return bar(70) || bar(122) || knob(120, 70) || knob(72, 122) ? [255, 255, 255, 255] : [...ACCENT, 255];
  });
}

/** 32×32 outline icon: white on transparent, as Teams requires. */
export function outlineIcon(): Buffer {
  return draw(32, (x, y) => {
    const bar = (cy: number) => Math.abs(y - cy) < 2 && x > 5 && x < 27;
    const knob = (cx: number, cy: number) => (x - cx) ** 2 + (y - cy) ** 2 < 4 ** 2;
    return bar(11) || bar(21) || knob(20, 11) || knob(12, 21) ? [255, 255, 255, 255] : [0, 0, 0, 0];
  });
}

function draw(size: number, pixel: (x: number, y: number) => readonly number[]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      const i = (y * size + x) * 4;
      png.data[i] = r!;
      png.data[i + 1] = g!;
      png.data[i + 2] = b!;
      png.data[i + 3] = a!;
    }
  }
  return PNG.sync.write(png);
}

/** The manifest template with placeholders replaced. */
export async function renderTeamsManifest(input: TeamsPackageInput): Promise<Record<string, unknown>> {
  const { appId, teamsAppId, publicUrl } = inputSchema.parse(input);
  const base = publicUrl.replace(/\/+$/, '');
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: appId.toLowerCase(),
    TEAMS_APP_ID: (teamsAppId ?? appId).toLowerCase(),
    PUBLIC_URL: base,
    PUBLIC_HOST: new URL(base).host,
  };
  const template = await readFile(join(TEAMS_MANIFEST_DIR, 'manifest.json'), 'utf8');
  const filled = template.replace(/\{\{([A-Z_]+)\}\}/g, (match, key: string) => values[key] ?? match);
  if (/\{\{[A-Z_]+\}\}/.test(filled)) throw new Error('manifest template has an unknown placeholder');
  return JSON.parse(filled) as Record<string, unknown>;
}

/**
 * Problems Microsoft's schema finds in a manifest (empty when it is valid). The schema is draft-04,
 * which Ajv 8 does not read; jsonschema does, so the official file is used exactly as published.
 */
export async function validateTeamsManifest(manifest: unknown): Promise<string[]> {
  const schema = JSON.parse(await readFile(TEAMS_MANIFEST_SCHEMA_PATH, 'utf8')) as Schema;
  const result = new Validator().validate(manifest, schema);
  return result.errors.map((error) => `${error.property.replace(/^instance\.?/, '') || 'manifest'} ${error.message}`);
}

/** Writes `switchboard-teams.zip` (manifest.json, color.png, outline.png at the zip root). */
export async function buildTeamsAppPackage(input: TeamsPackageInput): Promise<{ zipPath: string; manifest: Record<string, unknown> }> {
  const { outDir } = inputSchema.parse(input);
  const manifest = await renderTeamsManifest(input);
  // Teams rejects an invalid package at upload with little detail; say what is wrong here instead.
  const problems = await validateTeamsManifest(manifest);
  if (problems.length > 0) throw new Error(`the Teams manifest does not match Microsoft's schema: ${problems.join('; ')}`);
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  zip.file('color.png', colorIcon());
  zip.file('outline.png', outlineIcon());
  await mkdir(outDir, { recursive: true });
  const zipPath = join(outDir, 'switchboard-teams.zip');
  await writeFile(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { zipPath, manifest };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const appId = process.env.MICROSOFT_APP_ID;
  const publicUrl = process.env.PUBLIC_URL;
  if (!appId || !publicUrl) {
    console.error('Set MICROSOFT_APP_ID (the Azure Bot app id) and PUBLIC_URL (https://…) to build the Teams app package.');
    process.exit(1);
  }
  buildTeamsAppPackage({ appId, publicUrl, ...(process.env.TEAMS_APP_ID ? { teamsAppId: process.env.TEAMS_APP_ID } : {}) })
    .then(({ zipPath }) => console.log(`Teams app package written to ${zipPath}`))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
