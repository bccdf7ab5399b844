/** Issue 16: the SCIM bearer token names exactly one tenant; only its hash is configured. */
import { tenantsFileSchema } from '../../src/config/tenantConfig.js';
import { hashScimToken, mintScimToken, ScimTokens } from '../../src/scim/tokens.js';

describe('ScimTokens', () => {
  const tenants = tenantsFileSchema.parse({
    tenants: [
      { id: 'acme', name: 'Acme', scim: { tokenHashEnv: 'ACME_SCIM_TOKEN_HASH' } },
      { id: 'globex', name: 'Globex', scim: { tokenHashEnv: 'GLOBEX_SCIM_TOKEN_HASH' } },
    ],
  }).tenants;

  test('a minted token maps to its tenant; other tokens, schemes and tenants without a hash map to none', () => {
    const acme = mintScimToken();
    const globex = mintScimToken();
    expect(acme.hash).toBe(hashScimToken(acme.token));
    expect(acme.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const tokens = new ScimTokens(tenants, { ACME_SCIM_TOKEN_HASH: acme.hash, GLOBEX_SCIM_TOKEN_HASH: globex.hash }, () => { throw new Error('unexpected'); });
    expect(tokens.tenantOf(`Bearer ${acme.token}`)).toBe('acme');
    expect(tokens.tenantOf(`bearer ${globex.token}`)).toBe('globex');
    expect(tokens.tenantOf(`Bearer ${mintScimToken().token}`)).toBeUndefined();
    expect(tokens.tenantOf(`Basic ${acme.token}`)).toBeUndefined();
    expect(tokens.tenantOf(undefined)).toBeUndefined();
    expect(tokens.tenantOf('Bearer short')).toBeUndefined();
  });

  test('a malformed hash, or one hash for two tenants, is reported and leaves SCIM off there', () => {
    const shared = mintScimToken();
    const reported: string[] = [];
    const malformed = new ScimTokens(tenants, { ACME_SCIM_TOKEN_HASH: shared.token }, (tenantId, variable) => reported.push(`${tenantId}:${variable}`));
    expect(malformed.enabledTenants).toEqual([]);
    expect(reported).toEqual(['acme:ACME_SCIM_TOKEN_HASH']);
    const twice = new ScimTokens(tenants, { ACME_SCIM_TOKEN_HASH: shared.hash, GLOBEX_SCIM_TOKEN_HASH: shared.hash }, (tenantId) => reported.push(tenantId));
    expect(twice.enabledTenants).toEqual(['acme']);
    expect(twice.tenantOf(`Bearer ${shared.token}`)).toBe('acme');
    expect(reported).toContain('globex');
  });
});
