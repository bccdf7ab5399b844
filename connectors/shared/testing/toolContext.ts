import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../../../src/core/logger.js';
import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import type { CredentialAccessor } from '../../../src/tools/credentials.js';
import type { ActingUser, ToolContext } from '../../../src/tools/tool.js';
import { demoPersonByEmail } from '../demoOrg.js';

/** The Switchboard user behind a demo email, named as the demo organisation names them. */
export function actingUser(email: string, tenantId = 'acme'): ActingUser {
  const person = demoPersonByEmail(email);
  return { id: `usr_${email.split('@')[0] ?? 'x'}`, tenantId, email, displayName: person ? `${person.firstName} ${person.lastName}` : email };
}

export interface TestToolContextInput {
  readonly config: ConnectorInstanceConfig;
  readonly credentials: CredentialAccessor;
  readonly email: string;
  readonly logger?: Logger;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

/** A ToolContext as the engine builds one for a step; every call gets a fresh run and idempotency key unless given. */
export function toolContext(input: TestToolContextInput): ToolContext {
  return {
    tenantId: 'acme',
    runId: `run_${randomUUID()}`,
    stepId: 'step_1',
    user: actingUser(input.email),
    connector: input.config,
    credentials: input.credentials,
    // Vendors store the key in fields that may not allow dashes (Salesforce external ids).
    idempotencyKey: input.idempotencyKey ?? randomUUID().replace(/-/g, ''),
    signal: input.signal ?? new AbortController().signal,
    logger: input.logger ?? createLogger({ level: 'silent' }),
  };
}
