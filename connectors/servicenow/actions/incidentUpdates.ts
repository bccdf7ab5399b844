import { z } from 'zod';
import type { ServiceNowClient } from '../client.js';
import { ServiceNowLookupError } from '../errors.js';
import { displayFieldSchema, INCIDENT_FIELDS, incidentRecordSchema, resultList, resultOne } from '../schemas.js';
import { normalizeIncident, type IncidentOutput } from './incidents.js';

/**
 * Reads and writes used by the incident-changing tools (update, reopen): the full incident plus its
 * assignment group, and the work-note journal where an update's idempotency ref is looked up.
 */

const UPDATE_FIELDS = [...INCIDENT_FIELDS, 'assignment_group'] as const;
export const updatableIncidentSchema = incidentRecordSchema.extend({ assignment_group: displayFieldSchema });
export type UpdatableIncident = z.infer<typeof updatableIncidentSchema>;
const QUERY = { sysparm_display_value: 'all', sysparm_exclude_reference_link: 'true', sysparm_fields: UPDATE_FIELDS.join(',') } as const;

export const updatedIncidentOutputSchema = z.object({
  sys_id: z.string(), number: z.string(), short_description: z.string(), state: z.string(), state_code: z.string(), priority: z.string(), urgency: z.string(),
  impact: z.string(), category: z.string(), caller: z.string(), assigned_to: z.string().nullable(), close_code: z.string().nullable(), active: z.boolean(),
  opened_at: z.string(), updated_at: z.string(), link: z.string(),
  assignment_group: z.string().nullable().describe('Assignment group name'),
});
export type UpdatedIncidentOutput = z.infer<typeof updatedIncidentOutputSchema>;

export function normalizeUpdatable(record: UpdatableIncident, baseUrl: string): UpdatedIncidentOutput {
  const base: IncidentOutput = normalizeIncident(record, baseUrl);
  return { ...base, assignment_group: record.assignment_group.display_value === '' ? null : record.assignment_group.display_value };
}

export async function updatableByNumber(client: ServiceNowClient, number: string): Promise<UpdatableIncident | undefined> {
  const found = await client.request({ method: 'GET', path: '/api/now/table/incident', query: { ...QUERY, sysparm_query: `number=${number}`, sysparm_limit: 1 }, schema: resultList(updatableIncidentSchema) });
  return found.data.result[0];
}

export async function patchUpdatable(client: ServiceNowClient, sysId: string, body: Record<string, string>, idempotent: boolean): Promise<UpdatableIncident> {
  const updated = await client.request({ method: 'PATCH', path: `/api/now/table/incident/${sysId}`, query: QUERY, body, idempotent, schema: resultOne(updatableIncidentSchema) });
  return updated.data.result;
}

const groupSchema = z.object({ sys_id: z.string(), name: z.string() });

/** An active sys_user_group by exact (case-insensitive) name; near misses are offered back. */
export async function groupByName(client: ServiceNowClient, name: string): Promise<{ sys_id: string; name: string }> {
  const found = await client.request({
    method: 'GET',
    path: '/api/now/table/sys_user_group',
    query: { sysparm_query: `active=true^nameLIKE${name}`, sysparm_fields: 'sys_id,name', sysparm_limit: 20 },
    schema: resultList(groupSchema),
  });
  const exact = found.data.result.filter((g) => g.name.toLowerCase() === name.toLowerCase());
  if (exact.length === 1 && exact[0]) return exact[0];
  if (exact.length > 1) throw new ServiceNowLookupError('assignment_group', name, exact.map((g) => g.name), true);
  throw new ServiceNowLookupError('assignment_group', name, found.data.result.map((g) => g.name));
}

const journalSchema = z.object({ sys_id: z.string(), value: z.string(), sys_created_on: z.string() });

/** The work note a Switchboard update left, found by its ref (journal fields have no dedupe key). */
export async function workNoteByRef(client: ServiceNowClient, sysId: string, ref: string, userName: string): Promise<{ value: string; sys_created_on: string } | undefined> {
  const found = await client.request({
    method: 'GET',
    path: '/api/now/table/sys_journal_field',
    query: { sysparm_query: `name=incident^element=work_notes^element_id=${sysId}^valueLIKE${ref}^sys_created_by=${userName}`, sysparm_fields: 'sys_id,value,sys_created_on', sysparm_limit: 1 },
    schema: resultList(journalSchema),
  });
  return found.data.result[0];
}
