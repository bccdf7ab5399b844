import { SwitchboardError } from '../core/errors.js';

/** Schema URNs of RFC 7643/7644 that Switchboard speaks. */
export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** RFC 7644 §3.12 scimType values. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/** A refusal the IdP reads: HTTP status, optional scimType and a detail for the admin looking at the IdP's provisioning log. */
export class ScimError extends SwitchboardError {
  constructor(readonly status: number, detail: string, readonly scimType?: ScimType) {
    super(scimType ?? `scim_${status}`, detail, { userMessage: detail });
  }

  body(): Record<string, unknown> {
    return { schemas: [URN.error], status: String(this.status), ...(this.scimType ? { scimType: this.scimType } : {}), detail: this.message };
  }
}

/** Largest page the provider returns (ServiceProviderConfig.filter.maxResults). */
export const MAX_RESULTS = 200;

export interface Page {
  readonly startIndex: number;
  readonly count: number;
}

/** startIndex is 1-based (RFC 7644 §3.4.2.4); values below 1 mean 1, a negative count means 0. */
export function pageOf(query: URLSearchParams): Page {
  const start = Number.parseInt(query.get('startIndex') ?? '1', 10);
  const count = Number.parseInt(query.get('count') ?? String(MAX_RESULTS), 10);
  return { startIndex: Number.isFinite(start) && start > 0 ? start : 1, count: Number.isFinite(count) ? Math.min(Math.max(count, 0), MAX_RESULTS) : MAX_RESULTS };
}

export function listResponse(total: number, page: Page, resources: readonly unknown[]): Record<string, unknown> {
  return { schemas: [URN.listResponse], totalResults: total, startIndex: page.startIndex, itemsPerPage: resources.length, Resources: resources };
}

/** Entra's non-compliant mode sends booleans as "True"/"False". */
export function scimBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}
