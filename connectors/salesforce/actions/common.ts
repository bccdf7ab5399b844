import { ConfigError, NotFoundError, ValidationError } from '../../../src/core/errors.js';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import type { ToolContext } from '../../../src/tools/tool.js';
import { SalesforceClient } from '../client.js';
import { RECORD_ID_PATTERN } from '../constants.js';
import type { SfRecord } from '../schemas.js';
import { buildSoql } from '../soql.js';

export interface SalesforceToolDeps {
  readonly config: ConnectorInstanceConfig;
  /** For benchmarks and proxies; production uses global fetch. */
  readonly fetch?: typeof fetch;
}

export const SCOPES = ['api'] as const;
export const MAX_RESULTS = 200;

/** A client bound to this call's employee, signal and logger; tuning comes from the instance options. */
export function clientFor(deps: SalesforceToolDeps, ctx: ToolContext): SalesforceClient {
  const config = ctx.connector ?? deps.config;
  const number = (key: string): number | undefined => {
    const raw = config.options[key];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`connector ${config.id}: option ${key} must be a positive number`);
    return value;
  };
  const timeoutMs = number('timeoutMs');
  const maxAttempts = number('maxAttempts');
  const deadlineMs = number('deadlineMs');
  return new SalesforceClient({
    baseUrl: config.baseUrl,
    credentials: ctx.credentials,
    logger: ctx.logger.child({ connector: config.id }),
    signal: ctx.signal,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
    ...(deadlineMs ? { deadlineMs } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
}

export function isRecordId(value: string, keyPrefix: string): boolean {
  return RECORD_ID_PATTERN.test(value) && value.startsWith(keyPrefix);
}

/**
 * Finds exactly one record by name: an exact (case-insensitive) match wins, else a unique partial
 * match. Several candidates are the employee's call to make, so they are listed rather than guessed.
 */
export async function resolveByName(client: SalesforceClient, object: 'Account' | 'Opportunity', what: string, name: string): Promise<SfRecord> {
  const exact = await client.query(buildSoql({ select: ['Id', 'Name'], from: object, where: [{ field: 'Name', op: '=', value: name }], limit: 5 }));
  const partial = exact.length > 0 ? exact : await client.query(buildSoql({
    select: ['Id', 'Name'], from: object, where: [{ field: 'Name', op: 'LIKE', value: name }], orderBy: { field: 'Name' }, limit: 6,
  }));
  // Record names carry punctuation people do not type ("Globex - Platform Expansion" asked for as
  // "Globex Platform Expansion"): every word must still appear, so this widens nothing else.
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  const candidates = partial.length > 0 || words.length < 2 ? partial : await client.query(buildSoql({
    select: ['Id', 'Name'], from: object, where: words.slice(0, 8).map((value) => ({ field: 'Name', op: 'LIKE' as const, value })), orderBy: { field: 'Name' }, limit: 6,
  }));
  const [only] = candidates;
  if (candidates.length === 1 && only) return only;
  if (candidates.length === 0) throw new NotFoundError(`the Salesforce ${what} "${name}"`, `I could not find a Salesforce ${what} named "${name}" that you can see.`);
  const names = candidates.slice(0, 5).map((r) => `"${text(r, 'Name') ?? '?'}"`).join(', ');
  throw new ValidationError(`ambiguous ${what} name`, `Several Salesforce ${what === 'opportunity' ? 'opportunities' : `${what}s`} match "${name}" (${names}). Which one do you mean?`, { candidates: candidates.length });
}

export function text(record: SfRecord, field: string): string | null {
  const value = record[field];
  return typeof value === 'string' ? value : null;
}

export function num(record: SfRecord, field: string): number | null {
  const value = record[field];
  return typeof value === 'number' ? value : null;
}

export function bool(record: SfRecord, field: string): boolean {
  return record[field] === true;
}

/** A parent field as SOQL nests it: `{"Account":{"attributes":…,"Name":"ACME"}}`. */
export function parentText(record: SfRecord, relationship: string, field: string): string | null {
  const parent = record[relationship];
  if (!parent || typeof parent !== 'object') return null;
  const value = (parent as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

/** The Lightning URL the employee can open. */
export function recordLink(instanceUrl: string, object: string, id: string): string {
  return `${instanceUrl}/lightning/r/${object}/${id}/view`;
}
