import { ConfigError } from '../../src/core/errors.js';
import { parseTenantsFile } from '../../src/config/tenantsFile.js';
import { governanceFor } from '../../src/mcp/mcpRisk.js';

// Issue 17, deliverable 3: how an MCP tool's risk tier is decided, and what the tenants file accepts.
const tier = (hints: Record<string, boolean> | undefined, rules: Parameters<typeof governanceFor>[0]['rules'] = []) =>
  governanceFor({ localName: 'delete_page', namespaced: 'wiki_delete_page', hints, rules });

test('the tenant config decides first, then the annotations, else an approval-needing default', () => {
  expect(tier({ readOnlyHint: true })).toEqual({ risk: 'read', idempotent: true, source: 'annotations' });
  expect(tier({ destructiveHint: false, idempotentHint: true })).toEqual({ risk: 'write', idempotent: true, source: 'annotations' });
  expect(tier({ readOnlyHint: false, destructiveHint: false })).toEqual({ risk: 'write', idempotent: false, source: 'annotations' });
  // Per the MCP spec a non-read-only tool is destructive unless it says otherwise.
  expect(tier({ readOnlyHint: false })).toEqual({ risk: 'high', idempotent: false, source: 'annotations' });
  expect(tier({ destructiveHint: true })).toMatchObject({ risk: 'high' });
  expect(tier(undefined)).toEqual({ risk: 'high', idempotent: false, source: 'default' });
  expect(tier({ idempotentHint: true })).toMatchObject({ risk: 'high', source: 'default' });
  // A config rule overrides a hint that claims read-only, by local or namespaced name.
  expect(tier({ readOnlyHint: true }, [{ tools: ['delete_*'], risk: 'high' }])).toEqual({ risk: 'high', idempotent: false, source: 'config' });
  expect(tier(undefined, [{ tools: ['wiki_*'], risk: 'write', idempotent: true }])).toEqual({ risk: 'write', idempotent: true, source: 'config' });
});

const fileWith = (mcpServers: unknown[]) => ({
  tenants: [{ id: 'acme', name: 'Acme', connectors: [{ id: 'jira', kind: 'jira', baseUrl: 'sandbox' }], mcpServers }],
});

test('the tenants file names MCP servers with their auth by environment variable, never a secret', () => {
  const file = parseTenantsFile(fileWith([{ id: 'wiki', url: 'https://wiki.example/mcp', displayName: 'Wiki', auth: { type: 'static', keyEnv: 'WIKI_KEY' } }]), 'test');
  expect(file.tenants[0]!.mcpServers[0]).toMatchObject({ id: 'wiki', auth: { type: 'static', keyEnv: 'WIKI_KEY', header: 'authorization' }, risk: [], maxResultBytes: 256_000 });
  expect(parseTenantsFile(fileWith([{ id: 'hr', url: 'https://hr.example/mcp', displayName: 'HR' }]), 'test').tenants[0]!.mcpServers[0]!.auth).toEqual({ type: 'none' });
  const bad = (servers: unknown[]) => {
    try {
      parseTenantsFile(fileWith(servers), 'test');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };
  expect(bad([{ id: 'jira', url: 'https://x.example/mcp', displayName: 'X' }])).toMatch(/mcpServers\[0\]\.id: "jira" is already a connector or MCP server id/);
  expect(bad([{ id: 'wiki', url: 'https://x.example/mcp', displayName: 'X', auth: { type: 'static', key: 'sk-live-123' } }])).toMatch(/mcpServers\[0\]\.auth\.keyEnv/);
  expect(bad([{ id: 'wiki_2', url: 'https://x.example/mcp', displayName: 'X' }])).toMatch(/mcpServers\[0\]\.id/);
});
