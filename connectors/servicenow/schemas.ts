import { z } from 'zod';

/**
 * Wire shapes of the ServiceNow Table API, Service Catalog API and OAuth endpoints
 * (connectors.md §1). The client parses every answer with these, and the contract test holds both
 * the client's requests and the sandbox's responses to them.
 */

export const serviceNowErrorBodySchema = z.object({
  error: z.object({ message: z.string(), detail: z.string().nullable().optional() }),
  status: z.literal('failure'),
});
export type ServiceNowErrorBody = z.infer<typeof serviceNowErrorBodySchema>;

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string(),
  expires_in: z.number().int().positive(),
});
export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export const authorizationCodeFormSchema = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1),
  redirect_uri: z.string().url(),
  client_id: z.string().min(1),
  client_secret: z.string().optional(),
  code_verifier: z.string().min(43).max(128),
}).strict();
export const refreshFormSchema = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z.string().min(1),
  client_id: z.string().min(1),
  client_secret: z.string().optional(),
}).strict();

/** `sysparm_display_value=all`: every column is `{display_value, value}`; references add `link`. */
export const displayFieldSchema = z.object({ display_value: z.string(), value: z.string(), link: z.string().optional() }).strict();
export type DisplayField = z.infer<typeof displayFieldSchema>;

export const INCIDENT_FIELDS = [
  'sys_id', 'number', 'short_description', 'description', 'state', 'urgency', 'impact', 'priority', 'category',
  'caller_id', 'assigned_to', 'close_code', 'close_notes', 'correlation_id', 'active', 'opened_at', 'sys_updated_on',
] as const;
export const incidentRecordSchema = z.object(Object.fromEntries(INCIDENT_FIELDS.map((f) => [f, displayFieldSchema])) as Record<(typeof INCIDENT_FIELDS)[number], typeof displayFieldSchema>);
export type IncidentRecord = z.infer<typeof incidentRecordSchema>;

export const sysUserRecordSchema = z.object({ sys_id: z.string(), user_name: z.string(), name: z.string(), email: z.string() });

export const JOURNAL_FIELDS = ['sys_id', 'element_id', 'element', 'name', 'value', 'sys_created_on', 'sys_created_by'] as const;
export const journalRecordSchema = z.object(Object.fromEntries(JOURNAL_FIELDS.map((f) => [f, z.string()])) as Record<(typeof JOURNAL_FIELDS)[number], z.ZodString>);

export const choiceRecordSchema = z.object({ value: z.string(), label: z.string() });

export const REQ_ITEM_FIELDS = ['sys_id', 'number', 'request', 'cat_item', 'quantity', 'state', 'stage', 'requested_for', 'sys_created_on'] as const;
export const reqItemRecordSchema = z.object(Object.fromEntries(REQ_ITEM_FIELDS.map((f) => [f, displayFieldSchema])) as Record<(typeof REQ_ITEM_FIELDS)[number], typeof displayFieldSchema>);
export type ReqItemRecord = z.infer<typeof reqItemRecordSchema>;

export const catalogItemSchema = z.object({
  sys_id: z.string(),
  name: z.string(),
  short_description: z.string(),
  description: z.string().optional(),
  type: z.string(),
  sys_class_name: z.string(),
  price: z.string(),
  show_price: z.boolean().optional(),
  catalogs: z.array(z.object({ sys_id: z.string(), title: z.string() })),
  category: z.object({ sys_id: z.string(), title: z.string() }).or(z.object({})),
});
export type CatalogItem = z.infer<typeof catalogItemSchema>;

export const catalogVariableSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.number(),
  mandatory: z.boolean(),
  displayvalue: z.string(),
  choices: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
});
export const catalogItemDetailSchema = catalogItemSchema.extend({ variables: z.array(catalogVariableSchema) });

export const orderNowResultSchema = z.object({
  sys_id: z.string(),
  number: z.string(),
  request_number: z.string(),
  request_id: z.string(),
  table: z.literal('sc_request'),
});

export const incidentCreateBodySchema = z.object({
  short_description: z.string().min(1),
  description: z.string().optional(),
  caller_id: z.string().regex(/^[0-9a-f]{32}$/),
  urgency: z.enum(['1', '2', '3']).optional(),
  impact: z.enum(['1', '2', '3']).optional(),
  category: z.string().optional(),
  correlation_id: z.string().min(1),
  correlation_display: z.string().optional(),
}).strict();

export const incidentPatchBodySchema = z.object({
  comments: z.string().optional(),
  state: z.enum(['6']).optional(),
  close_code: z.string().optional(),
  close_notes: z.string().optional(),
}).strict();

export const journalPatchBodySchema = z.object({ comments: z.string().min(1) }).strict();

export const orderNowBodySchema = z.object({
  sysparm_quantity: z.number().int().positive(),
  sysparm_requested_for: z.string().regex(/^[0-9a-f]{32}$/),
  variables: z.record(z.string(), z.string()),
}).strict();

export function resultList<T extends z.ZodType>(item: T) {
  return z.object({ result: z.array(item) });
}
export function resultOne<T extends z.ZodType>(item: T) {
  return z.object({ result: item });
}
