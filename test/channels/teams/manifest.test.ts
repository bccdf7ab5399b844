import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { buildTeamsAppPackage, renderTeamsManifest, TEAMS_MANIFEST_DIR } from '../../../scripts/teamsManifest.js';

const APP_ID = '0B7F6A3E-5C1D-4E2F-9A8B-7C6D5E4F3A2B';

async function validator() {
  const schema = JSON.parse(await readFile(join(TEAMS_MANIFEST_DIR, 'schema', 'MicrosoftTeams.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(schema);
}

describe('Teams app package', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'teams-pkg-'));
  });
  afterAll(async () => rm(outDir, { recursive: true, force: true }));

  test('the package builds: manifest with this bot id, icons of the required sizes, and it passes the schema', async () => {
    const { zipPath, manifest } = await buildTeamsAppPackage({ appId: APP_ID, publicUrl: 'https://switchboard.acme.test/', outDir });
    const zip = await JSZip.loadAsync(await readFile(zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packaged = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown>;
    expect(packaged).toEqual(manifest);

    const validate = await validator();
    const valid = validate(packaged);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    expect(Number(String(packaged.manifestVersion).split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(packaged).toMatchObject({
      id: APP_ID.toLowerCase(),
      bots: [{ botId: APP_ID.toLowerCase(), scopes: ['personal', 'team', 'groupChat'] }],
      validDomains: ['switchboard.acme.test'],
      webApplicationInfo: { id: APP_ID.toLowerCase(), resource: `api://botid-${APP_ID.toLowerCase()}` },
    });
    const commands = (packaged.bots as { commandLists: { commands: unknown[] }[] }[])[0]!.commandLists[0]!.commands;
    expect(commands.length).toBeGreaterThan(0);

    const color = PNG.sync.read(Buffer.from(await zip.file('color.png')!.async('uint8array')));
    const outline = PNG.sync.read(Buffer.from(await zip.file('outline.png')!.async('uint8array')));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // The outline icon is white on transparent.
    const alphas = new Set<number>();
    for (let i = 0; i < outline.data.length; i += 4) {
      alphas.add(outline.data[i + 3]!);
      if (outline.data[i + 3]! > 0) expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(alphas).toEqual(new Set([0, 255]));
  });

  test('the schema rejects what Teams would reject', async () => {
    const validate = await validator();
    const manifest = await renderTeamsManifest({ appId: APP_ID, publicUrl: 'https://switchboard.acme.test' });
    expect(validate({ ...manifest, id: 'not-a-guid' })).toBe(false);
    expect(validate({ ...manifest, name: { short: 'A name that is far too long for Teams to show' } })).toBe(false);
    expect(validate({ ...manifest, bots: [{ botId: APP_ID, scopes: ['everywhere'] }] })).toBe(false);
    const { developer: _developer, ...withoutDeveloper } = manifest;
    expect(validate(withoutDeveloper)).toBe(false);
    expect(validate({ ...manifest, unexpected: true })).toBe(false);
  });

  test('bad packaging input is refused with a clear message', async () => {
    await expect(renderTeamsManifest({ appId: 'abc', publicUrl: 'https://x.test' })).rejects.toThrow(/must be a GUID/);
    await expect(renderTeamsManifest({ appId: APP_ID, publicUrl: 'http://x.test' })).rejects.toThrow(/https/);
  });
});
