import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { buildTeamsAppPackage, renderTeamsManifest, TEAMS_MANIFEST_DIR, TEAMS_MANIFEST_SCHEMA_PATH, validateTeamsManifest } from '../../../scripts/teamsManifest.js';

const APP_ID = '0B7F6A3E-5C1D-4E2F-9A8B-7C6D5E4F3A2B';

/** Against Microsoft's schema, vendored unmodified. */
const validate = async (manifest: unknown): Promise<boolean> => (await validateTeamsManifest(manifest)).length === 0;

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

    expect(await validateTeamsManifest(packaged)).toEqual([]);
    expect(await validate(packaged)).toBe(true);

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
    const manifest = await renderTeamsManifest({ appId: APP_ID, publicUrl: 'https://switchboard.acme.test' });
    expect(await validate(manifest)).toBe(true);
    expect(await validate({ ...manifest, id: 'not-a-guid' })).toBe(false);
    expect(await validate({ ...manifest, name: { short: 'A name that is far too long for Teams to show' } })).toBe(false);
    expect(await validate({ ...manifest, bots: [{ botId: APP_ID, scopes: ['everywhere'] }] })).toBe(false);
    const { developer: _developer, ...withoutDeveloper } = manifest;
    expect(await validate(withoutDeveloper)).toBe(false);
    expect(await validate({ ...manifest, unexpected: true })).toBe(false);
    // The schema pins its own manifest version, and checks formats.
    expect(await validate({ ...manifest, manifestVersion: '1.19' })).toBe(false);
    expect(await validate({ ...manifest, accentColor: 'blue' })).toBe(false);
    expect(await validateTeamsManifest({ ...manifest, id: 'not-a-guid' })).toEqual([expect.stringMatching(/^id does not match pattern/)]);
  });

  test('the schema is Microsoft\'s file, unmodified, and the manifest names the same version', async () => {
    const raw = await readFile(TEAMS_MANIFEST_SCHEMA_PATH);
    const readme = await readFile(join(TEAMS_MANIFEST_DIR, 'schema', 'README.md'), 'utf8');
    const recorded = /sha256 \| `([0-9a-f]{64})`/.exec(readme)?.[1];
    expect(createHash('sha256').update(raw).digest('hex')).toBe(recorded);
    const schema = JSON.parse(raw.toString('utf8')) as { $schema: string; properties: Record<string, { const?: string }> };
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    // The whole schema, not a subset: features Switchboard does not use are described too.
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['staticTabs', 'composeExtensions', 'copilotAgents', 'elementRelationshipSet']));
    const version = schema.properties.manifestVersion!.const!;
    const template = JSON.parse(await readFile(join(TEAMS_MANIFEST_DIR, 'manifest.json'), 'utf8')) as { $schema: string; manifestVersion: string };
    expect(template.manifestVersion).toBe(version);
    expect(template.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
    expect(readme).toContain(template.$schema);
  });

  test('bad packaging input is refused with a clear message', async () => {
    await expect(renderTeamsManifest({ appId: 'abc', publicUrl: 'https://x.test' })).rejects.toThrow(/must be a GUID/);
    await expect(renderTeamsManifest({ appId: APP_ID, publicUrl: 'http://x.test' })).rejects.toThrow(/https/);
  });
});
