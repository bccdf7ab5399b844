import { ConfigError } from '../../src/core/errors.js';
import { loadEnv, publicUrlOf } from '../../src/config/env.js';
import { generateKeySpec } from '../../src/store/crypto/index.js';

function failure(source: Record<string, string>): ConfigError {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadEnv to fail');
}

test('an empty environment gives the embedded development defaults', () => {
  const env = loadEnv({});
  expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, LOG_LEVEL: 'info', DATA_DIR: './.data', WORKERS_PER_PROCESS: 4, SANDBOX_PORTS_START: 4101, DEMO_AUTOLINK: true, MICROSOFT_APP_TYPE: 'MultiTenant' });
  expect(env.DATABASE_URL).toBeUndefined();
  expect(publicUrlOf(env)).toBe('http://localhost:3000');
  // Empty strings count as unset.
  expect(loadEnv({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
});

test('values are parsed and typed', () => {
  const env = loadEnv({ PORT: '8080', DATABASE_URL: 'postgresql://u@db:5432/sb', REDIS_URL: 'redis://r:6379', PUBLIC_URL: 'https://sb.example.com/', DEMO_AUTOLINK: 'false', WORKERS_PER_PROCESS: '8' });
  expect(env.PORT).toBe(8080);
  expect(env.DEMO_AUTOLINK).toBe(false);
  expect(env.WORKERS_PER_PROCESS).toBe(8);
  expect(publicUrlOf(env)).toBe('https://sb.example.com');
});

test('each bad variable is named with the reason, and secret values are never echoed', () => {
  const secret = 'not-a-valid-token-1234567890';
  const error = failure({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SLACK_BOT_TOKEN: secret, PUBLIC_URL: 'nope' });
  expect(error.code).toBe('config_invalid');
  expect(error.message).toMatch(/PORT must be a whole number/);
  expect(error.message).toMatch(/DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
  expect(error.message).toMatch(/LOG_LEVEL /);
  expect(error.message).toMatch(/SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
  expect(error.message).toMatch(/PUBLIC_URL must be a URL/);
  expect(error.message).not.toContain(secret);
  expect(error.details?.variables).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'SLACK_BOT_TOKEN', 'PUBLIC_URL']));
});

test('cross-variable rules name the missing partner', () => {
  expect(failure({ SLACK_BOT_TOKEN: 'xoxb-1' }).message).toMatch(/SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN/);
  expect(failure({ SLACK_CLIENT_ID: 'abc' }).message).toMatch(/SLACK_CLIENT_SECRET SLACK_CLIENT_ID and SLACK_CLIENT_SECRET must be set together/);
  expect(failure({ MICROSOFT_APP_ID: 'id' }).message).toMatch(/MICROSOFT_APP_PASSWORD is required/);
  expect(failure({ SWITCHBOARD_ENCRYPTION_KEYS: 'k1:short' }).message).toMatch(/SWITCHBOARD_ENCRYPTION_KEYS key "k1" must be 32 bytes/);
  expect(failure({ SWITCHBOARD_ENCRYPTION_KEYS: generateKeySpec('k1'), SWITCHBOARD_ENCRYPTION_KEY_ID: 'k2' }).message).toMatch(/SWITCHBOARD_ENCRYPTION_KEY_ID/);
  const production = failure({ NODE_ENV: 'production' }).message;
  expect(production).toMatch(/SWITCHBOARD_ENCRYPTION_KEYS is required in production/);
  expect(production).toMatch(/PUBLIC_URL is required in production/);
  // The operations view signs in per tenant (SSO or a break-glass hash), never with one shared password.
  expect(production).not.toMatch(/ADMIN_PASSWORD/);
  expect(failure({ METRICS_TOKEN: 'short' }).message).toMatch(/METRICS_TOKEN must be at least 16 characters/);
});
