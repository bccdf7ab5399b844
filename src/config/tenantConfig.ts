import { z } from 'zod';
import { CONNECTOR_KINDS } from '../tools/connector.js';
import { mcpServerSchema } from '../mcp/mcpServerConfig.js';

/** Dollars in config, integer micro-dollars everywhere else ($0.001 = 1,000 micros). */
const usd = z.number().nonnegative().transform((dollars) => Math.round(dollars * 1_000_000));

const connectorSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]{0,23}$/),
  kind: z.enum(CONNECTOR_KINDS),
  displayName: z.string().min(1).optional(),
  /** "sandbox" points the connector at the local simulator started by the process; otherwise the API base URL. */
  baseUrl: z.union([z.literal('sandbox'), z.string().url()]),
  authBaseUrl: z.string().url().optional(),
  oauth: z
    .object({
      clientId: z.string().min(1),
      /** Name of the environment variable holding the client secret; secrets never live in this file. */
      clientSecretEnv: z.string().min(1).optional(),
      scopes: z.array(z.string()).default([]),
    })
    .default({ clientId: 'switchboard', scopes: [] }),
  /** Env var with the tenant's admin-approved service token (Okta self-service resets). */
  serviceTokenEnv: z.string().min(1).optional(),
  options: z.record(z.string(), z.string()).default({}),
});

const priceSchema = z.object({
  /** USD per million tokens. */
  input: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  output: z.number().nonnegative(),
});

const modelTierSchema = z.object({
  baseUrl: z.string().url().optional(),
  /** Env var holding the API key; OPENAI_API_KEY when omitted. */
  apiKeyEnv: z.string().optional(),
  model: z.string().min(1),
  prices: priceSchema,
  timeoutMs: z.number().int().positive().default(30_000),
  maxOutputTokens: z.number().int().positive().default(1024),
});

const capsSchema = z.object({
  steps: z.number().int().positive().optional(),
  tokens: z.number().int().positive().optional(),
  usd: usd.optional(),
  wallTimeMs: z.number().int().positive().optional(),
});

const approvalRuleSchema = z.object({
  /** Tool names (full, e.g. "okta_reset_password"), `*` wildcards allowed. */
  tools: z.array(z.string()).optional(),
  risk: z.array(z.enum(['read', 'write', 'high'])).optional(),
  /** Approver groups; "manager" means the requester's manager. */
  approvers: z.array(z.string()).default([]),
  autoApprove: z.boolean().default(false),
});

const userSeedSchema = z.object({
  email: z.string().email(),
  displayName: z.string().min(1),
  roles: z.array(z.string()).default(['employee']),
  managerEmail: z.string().email().optional(),
  /** Platform identities known up front (otherwise matched by email on first contact). */
  slackUserId: z.string().optional(),
  teamsObjectId: z.string().optional(),
  /**
   * The employee's own account per connector id where it is not their email (`{ jira: "ada.l@corp.example" }`):
   * an account link is accepted only for this account (email, login, username or id in that system).
   */
  accounts: z.record(z.string(), z.string().min(1).max(200)).optional(),
});

const customToolSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{1,48}$/),
  description: z.string().min(1),
  connector: z.string(),
  method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
  path: z.string().startsWith('/'),
  /** JSON Schema for the arguments, validated with jsonschema at call time. */
  inputSchema: z.record(z.string(), z.unknown()),
  risk: z.enum(['read', 'write', 'high']),
});

/** Single sign-on to the operations view (and the playground when deployed) with the tenant's own IdP. */
const ssoSchema = z.object({
  /** "sandbox" is the local Okta sandbox (never in production); otherwise the IdP's OpenID Connect issuer URL. */
  issuer: z.union([z.literal('sandbox'), z.string().url()]),
  clientId: z.string().min(1),
  /** Name of the environment variable holding the client secret; without one the client is public (PKCE only). */
  clientSecretEnv: z.string().min(1).optional(),
  scopes: z.array(z.string()).default(['openid', 'email', 'profile']),
  /** Members of any of these IdP groups get the admin role for their session, on top of the tenants file's roles. */
  adminGroups: z.array(z.string()).default([]),
  /** The ID-token claim listing the person's groups. */
  groupsClaim: z.string().min(1).default('groups'),
  /** Shown on the sign-in button ("Sign in with …"). */
  displayName: z.string().min(1).optional(),
});

/** A local login for when the IdP is down: one account, its scrypt hash in an environment variable (`npm run hash-password`). */
const breakGlassSchema = z.object({
  email: z.string().email(),
  passwordHashEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
});

/**
 * SCIM 2.0 provisioning from the company's IdP (Okta, Entra ID) at /scim/v2. The bearer token is
 * never in the file: `tokenHashEnv` names an environment variable holding `sha256:<hex>` of it
 * (`npm run -s scim-token` mints one). Unset or empty, SCIM is off for the tenant.
 */
const scimSchema = z.object({
  tokenHashEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'),
  /** IdP groups (by display name, case-insensitive) whose members get these roles and approver groups. */
  groupMappings: z
    .array(z.object({ group: z.string().min(1), roles: z.array(z.string().min(1)).default([]), approverGroups: z.array(z.string().min(1)).default([]) }))
    .default([]),
});

export const tenantSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/),
  name: z.string().min(1),
  slack: z.object({ teamIds: z.array(z.string()).default([]), enterpriseIds: z.array(z.string()).default([]) }).default({ teamIds: [], enterpriseIds: [] }),
  teams: z.object({ entraTenantIds: z.array(z.string()).default([]) }).default({ entraTenantIds: [] }),
  users: z.array(userSeedSchema).default([]),
  sso: ssoSchema.optional(),
  breakGlass: breakGlassSchema.optional(),
  scim: scimSchema.optional(),
  /** Who administers Switchboard in the company, named to people it does not know ("Maria in IT, it-help@acme.test"). */
  adminContact: z.string().min(1).max(200).optional(),
  connectors: z.array(connectorSchema).default([]),
  approverGroups: z.record(z.string(), z.array(z.string().email())).default({}),
  approvalPolicy: z
    .object({
      rules: z.array(approvalRuleSchema).default([]),
      /** Used when no rule matches a high-risk tool. */
      defaultHighRiskApprovers: z.array(z.string()).default(['manager']),
      expiresAfterMinutes: z.number().int().positive().default(24 * 60),
      /** Approvers who have not decided after this long get one reminder (off when unset). */
      remindAfterMinutes: z.number().int().positive().optional(),
      /** Still undecided after this long, the request also goes to `escalateTo` (off when unset). */
      escalateAfterMinutes: z.number().int().positive().optional(),
      /** Fallback approver groups (or "manager") for escalation. */
      escalateTo: z.array(z.string()).default([]),
    })
    .default({ rules: [], defaultHighRiskApprovers: ['manager'], expiresAfterMinutes: 1440, escalateTo: [] }),
  budgets: z
    .object({
      perRequest: capsSchema.default({}),
      perUserDay: capsSchema.default({}),
      perTenantDay: capsSchema.default({}),
    })
    .default({ perRequest: {}, perUserDay: {}, perTenantDay: {} }),
  rateLimits: z
    .object({ perUserPerMinute: z.number().int().positive().default(30), perTenantPerMinute: z.number().int().positive().default(1200) })
    .default({ perUserPerMinute: 30, perTenantPerMinute: 1200 }),
  models: z.object({ fast: modelTierSchema.optional(), mid: modelTierSchema.optional(), power: modelTierSchema.optional() }).default({}),
  router: z
    .object({
      /** Force a tier for every request (e.g. "deterministic" for an air-gapped tenant). */
      forceTier: z.enum(['deterministic', 'fast', 'mid', 'power']).optional(),
      compressionThreshold: z.number().int().positive().default(6000),
    })
    .default({ compressionThreshold: 6000 }),
  customTools: z.array(customToolSchema).default([]),
  /** Tenant MCP servers whose tools join the registry as `<id>_<tool>` (src/mcp). */
  mcpServers: z.array(mcpServerSchema).default([]),
});

export const tenantsFileSchema = z.object({ tenants: z.array(tenantSchema).min(1) });

export type TenantConfig = z.infer<typeof tenantSchema>;
export type TenantSsoConfig = z.infer<typeof ssoSchema>;
export type TenantScimConfig = z.infer<typeof scimSchema>;
export type TenantBreakGlassConfig = z.infer<typeof breakGlassSchema>;
export type TenantConnectorConfig = z.infer<typeof connectorSchema>;
export type ModelTierConfig = z.infer<typeof modelTierSchema>;
export type BudgetCaps = z.infer<typeof capsSchema>;
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;
export type TenantsFile = z.infer<typeof tenantsFileSchema>;
