import { z } from 'zod';
import type { JiraClient } from './client.js';
import { jiraUserSchema } from './schemas.js';

/**
 * The edit and watch operations (`/issue/{key}/editmeta`, `PUT /issue/{key}`, `/issue/{key}/watchers`),
 * next to JiraApi's other operations; one function per REST operation.
 */

export const editMetaSchema = z.object({
  fields: z.record(z.string(), z.object({
    key: z.string().optional(),
    name: z.string().optional(),
    operations: z.array(z.string()).optional(),
    allowedValues: z.array(z.unknown()).optional(),
  })),
});
export type EditMeta = z.infer<typeof editMetaSchema>;

export const watchersSchema = z.object({
  isWatching: z.boolean(),
  watchCount: z.number().int(),
  watchers: z.array(jiraUserSchema.partial()).default([]),
});

const path = (key: string, tail = ''): string => `/issue/${encodeURIComponent(key)}${tail}`;

/** Which fields the employee may edit on this issue (empty without Edit Issues permission). */
export async function editMeta(client: JiraClient, key: string): Promise<EditMeta> {
  return (await client.request({ method: 'GET', path: path(key, '/editmeta'), schema: editMetaSchema })).data;
}

/** `fields` sets values, `update` applies operations (labels add/remove); setting the same values again changes nothing. */
export async function editIssue(client: JiraClient, key: string, body: { fields?: Record<string, unknown>; update?: Record<string, unknown[]> }): Promise<void> {
  await client.request({ method: 'PUT', path: path(key), body, idempotent: true });
}

export async function watchers(client: JiraClient, key: string): Promise<z.infer<typeof watchersSchema>> {
  return (await client.request({ method: 'GET', path: path(key, '/watchers'), schema: watchersSchema })).data;
}

/** The body is the account id as a bare JSON string; adding an existing watcher changes nothing. */
export async function addWatcher(client: JiraClient, key: string, accountId: string): Promise<void> {
  await client.request({ method: 'POST', path: path(key, '/watchers'), body: accountId, idempotent: true });
}
