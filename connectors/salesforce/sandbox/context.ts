import type { SandboxResponse } from '../../shared/sandboxServer.js';
import type { SalesforceSandboxState } from './state.js';

/** What every route of one sandbox instance shares. */
export interface SandboxContext {
  readonly state: SalesforceSandboxState;
  /** login.salesforce.com stand-in: OAuth endpoints and the identity URL. */
  readonly loginUrl: () => string;
  /** The org's My Domain stand-in: the REST API. Deliberately a different origin from loginUrl. */
  readonly instanceUrl: () => string;
  readonly tokenTtlSeconds: number;
  /** When set, only this connected app may authenticate, with this secret. */
  readonly client?: { readonly id: string; readonly secret: string };
  /** Records per query batch (Salesforce: up to 2000), lowered in tests to exercise nextRecordsUrl. */
  readonly queryBatchSize: number;
  readonly newSecret: (bytes?: number) => string;
  /** Sandbox-only faults applied after a write commits (the response is lost on the way back). */
  readonly writeFaults: { dropWriteResponses: number };
}

export function limitHeaders(state: SalesforceSandboxState): Record<string, string> {
  return { 'Sforce-Limit-Info': `api-usage=${Math.min(state.apiUsage, state.dailyApiLimit)}/${state.dailyApiLimit}` };
}

/** Salesforce's array error body, with the usage header every REST answer carries. */
export function sfError(state: SalesforceSandboxState, status: number, errorCode: string, message: string, fields?: readonly string[]): SandboxResponse {
  const entry = fields && fields.length > 0 ? { message, errorCode, fields: [...fields] } : { message, errorCode };
  return { status, body: [entry], headers: limitHeaders(state) };
}

export function ok(state: SalesforceSandboxState, status: number, body?: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, ...(body === undefined ? {} : { body }), headers: { ...limitHeaders(state), ...headers } };
}

export function serverError(state: SalesforceSandboxState, random: () => number): SandboxResponse {
  const errorId = `${Math.floor(random() * 1e9)}-${Math.floor(random() * 1e5)} (${-Math.floor(random() * 1e9)})`;
  return sfError(state, 500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`);
}

export function notFound(state: SalesforceSandboxState): SandboxResponse {
  return sfError(state, 404, 'NOT_FOUND', 'The requested resource does not exist');
}
