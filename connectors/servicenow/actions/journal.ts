import type { ServiceNowClient } from '../client.js';
import { journalRecordSchema, JOURNAL_FIELDS, resultList } from '../schemas.js';

/** Reads of `sys_journal_field`, where "Additional comments" history lives. */

export type JournalEntry = ReturnType<typeof journalRecordSchema.parse>;

/** The comment a Switchboard write left, found by its idempotency ref. */
export async function journalByRef(client: ServiceNowClient, input: { table: string; ref: string; userName: string; elementId?: string }): Promise<JournalEntry | undefined> {
  const parts = [`name=${input.table}`, 'element=comments', `valueLIKE${input.ref}`, `sys_created_by=${input.userName}`];
  if (input.elementId) parts.push(`element_id=${input.elementId}`);
  const found = await client.request({
    method: 'GET',
    path: '/api/now/table/sys_journal_field',
    query: { sysparm_query: parts.join('^'), sysparm_fields: JOURNAL_FIELDS.join(','), sysparm_limit: 1 },
    schema: resultList(journalRecordSchema),
  });
  return found.data.result[0];
}

export async function recentComments(client: ServiceNowClient, table: string, elementId: string, limit: number): Promise<JournalEntry[]> {
  const found = await client.request({
    method: 'GET',
    path: '/api/now/table/sys_journal_field',
    query: { sysparm_query: `name=${table}^element_id=${elementId}^element=comments^ORDERBYDESCsys_created_on`, sysparm_fields: JOURNAL_FIELDS.join(','), sysparm_limit: limit },
    schema: resultList(journalRecordSchema),
  });
  return found.data.result;
}
