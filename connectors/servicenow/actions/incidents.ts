import { z } from 'zod';
import type { ServiceNowClient } from '../client.js';
import { ServiceNowApiError } from '../errors.js';
import { INCIDENT_FIELDS, incidentRecordSchema, resultList, resultOne, type IncidentRecord } from '../schemas.js';
import { recordLink } from './context.js';

/** Incident reads and the compact shape every incident tool returns. */

export const incidentNumberSchema = z.string().trim().toUpperCase().regex(/^INC\d{7,10}$/, 'an incident number looks like INC0010001')
  .describe('Incident number, e.g. INC0010001');

export const incidentOutputSchema = z.object({
  sys_id: z.string(),
  number: z.string(),
  short_description: z.string(),
  state: z.string().describe('State label, e.g. "In Progress"'),
  state_code: z.string(),
  priority: z.string(),
  urgency: z.string(),
  impact: z.string(),
  category: z.string(),
  caller: z.string(),
  assigned_to: z.string().nullable(),
  close_code: z.string().nullable(),
  active: z.boolean(),
  opened_at: z.string(),
  updated_at: z.string(),
  link: z.string(),
});
export type IncidentOutput = z.infer<typeof incidentOutputSchema>;

export const INCIDENT_QUERY = { sysparm_display_value: 'all', sysparm_exclude_reference_link: 'true', sysparm_fields: INCIDENT_FIELDS.join(',') } as const;

export function normalizeIncident(record: IncidentRecord, baseUrl: string): IncidentOutput {
  const orNull = (value: string): string | null => (value === '' ? null : value);
  return {
    sys_id: record.sys_id.value,
    number: record.number.value,
    short_description: record.short_description.display_value,
    state: record.state.display_value,
    state_code: record.state.value,
    priority: record.priority.display_value,
    urgency: record.urgency.display_value,
    impact: record.impact.display_value,
    category: record.category.display_value,
    caller: record.caller_id.display_value,
    assigned_to: orNull(record.assigned_to.display_value),
    close_code: orNull(record.close_code.value),
    active: record.active.value === 'true',
    opened_at: record.opened_at.value,
    updated_at: record.sys_updated_on.value,
    link: recordLink(baseUrl, 'incident', record.sys_id.value),
  };
}

/** Unreadable and missing look the same on a list query; both get ServiceNow's own 404 wording. */
export async function incidentByNumber(client: ServiceNowClient, number: string): Promise<IncidentRecord> {
  const found = await client.request({
    method: 'GET',
    path: '/api/now/table/incident',
    query: { ...INCIDENT_QUERY, sysparm_query: `number=${number}`, sysparm_limit: 1 },
    schema: resultList(incidentRecordSchema),
  });
  const record = found.data.result[0];
  if (!record) throw new ServiceNowApiError(404, { error: { message: 'No Record found', detail: `Record doesn't exist or ACL restricts the record retrieval (${number})` }, status: 'failure' }, 'No Record found');
  return record;
}

export async function incidentByCorrelation(client: ServiceNowClient, correlationId: string): Promise<IncidentRecord | undefined> {
  const found = await client.request({
    method: 'GET',
    path: '/api/now/table/incident',
    query: { ...INCIDENT_QUERY, sysparm_query: `correlation_id=${correlationId}`, sysparm_limit: 1 },
    schema: resultList(incidentRecordSchema),
  });
  return found.data.result[0];
}

export async function patchIncident(client: ServiceNowClient, sysId: string, body: Record<string, string>, idempotent: boolean): Promise<IncidentRecord> {
  const updated = await client.request({
    method: 'PATCH',
    path: `/api/now/table/incident/${sysId}`,
    query: INCIDENT_QUERY,
    body,
    idempotent,
    schema: resultOne(incidentRecordSchema),
  });
  return updated.data.result;
}
