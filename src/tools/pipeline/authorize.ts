import type { TenantConfig } from '../../config/tenantConfig.js';
import type { CredentialAccessor } from '../credentials.js';
import type { RegisteredTool } from '../registry.js';
import { ToolNotAllowedError } from './errors.js';

/**
 * Stage 2: the tenant must have the tool's connector configured, and the employee must have linked
 * their account (forUser() throws AccountNotLinkedError, which pauses the run for linking).
 * Resolves the acting identity recorded on the tool call.
 */
export async function authorize(tenant: TenantConfig, tool: RegisteredTool, userId: string, credentials: CredentialAccessor): Promise<string> {
  if (!tool.connector) return `user:${userId}`;
  const connectorId = tool.connector.id;
  if (!tenant.connectors.some((c) => c.id === connectorId)) throw new ToolNotAllowedError(tool.name);
  const credential = await credentials.forUser();
  return credential.externalUserId ? `user:${credential.externalUserId}` : `user:${userId}`;
}
