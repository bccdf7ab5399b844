import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import { fit, quoteData } from '../../shared/summary.js';
import type { ServiceNowClient } from '../client.js';
import { ServiceNowApiError } from '../errors.js';
import { impactUrgencyFor } from '../priority.js';
import { clientFor, encodedQuerySafe, journalRef, requester, withRef, type ServiceNowToolDeps } from './context.js';
import { incidentNumberSchema } from './incidents.js';
import { groupByName, normalizeUpdatable, patchUpdatable, updatableByNumber, updatedIncidentOutputSchema, workNoteByRef, type UpdatableIncident } from './incidentUpdates.js';

const level = z.number().int().min(1).max(3);

export const updateIncidentInput = z.object({
  number: incidentNumberSchema,
  priority: z.number().int().min(1).max(5).optional()
    .describe('New priority 1-5 (P1 critical … P5 planning); set as the impact × urgency pair that yields it: P1 = impact 1 + urgency 1, P2 = 1 + 2, P3 = 2 + 2, P4 = 2 + 3, P5 = 3 + 3'),
  urgency: level.optional().describe('New urgency alone: 1 high, 2 medium, 3 low (priority follows from it); not together with priority'),
  short_description: z.string().trim().min(3).max(160).optional().describe('New one-line summary'),
  assignment_group: z.string().trim().min(1).max(80).refine(encodedQuerySafe, 'must not contain "^"').optional().describe('Name of the group to assign it to, e.g. "Network" (IT staff only)'),
  work_note: z.string().trim().min(1).max(4000).optional().describe('Internal work note to add, not visible to the caller (IT staff only)'),
}).strict()
  .refine((a) => a.priority !== undefined || a.urgency !== undefined || a.short_description !== undefined || a.assignment_group !== undefined || a.work_note !== undefined, 'name at least one change')
  .refine((a) => a.priority === undefined || a.urgency === undefined, 'give either priority or urgency, not both');
type Input = z.infer<typeof updateIncidentInput>;

const output = updatedIncidentOutputSchema.extend({
  changes: z.array(z.string()).describe('What was asked for, in words'),
  already_set: z.boolean().describe('True when the incident already had every requested value'),
});
type Output = z.infer<typeof output>;

function changeWords(args: Input): string[] {
  const words: string[] = [];
  if (args.priority) words.push(`priority P${args.priority}`);
  if (args.urgency) words.push(`urgency ${args.urgency}`);
  if (args.short_description) words.push('short description');
  if (args.assignment_group) words.push(`assignment group ${args.assignment_group}`);
  if (args.work_note) words.push('work note');
  return words;
}

/**
 * Changes an incident's priority (as impact × urgency), urgency, short description or assignment
 * group, and can add a work note. ServiceNow's ACLs decide who may change what (assignment and work
 * notes need itil). Field changes repeat harmlessly; the work note carries the idempotency ref, and
 * each attempt first checks whether the note already landed.
 */
export function updateIncidentTool(deps: ServiceNowToolDeps) {
  async function applied(ctx: ToolContext, client: ServiceNowClient, record: UpdatableIncident, body: Record<string, string>, note: string | undefined): Promise<boolean> {
    if (note) {
      const me = await requester(ctx, client);
      return (await workNoteByRef(client, record.sys_id.value, journalRef(ctx.idempotencyKey), me.userName)) !== undefined;
    }
    return Object.entries(body).every(([field, value]) => record[field as keyof UpdatableIncident]?.value === value);
  }
  async function plan(client: ServiceNowClient, args: Input): Promise<Record<string, string>> {
    const body: Record<string, string> = {};
    if (args.priority) {
      const pair = impactUrgencyFor(args.priority as 1 | 2 | 3 | 4 | 5);
      Object.assign(body, { impact: String(pair.impact), urgency: String(pair.urgency) });
    }
    if (args.urgency) body['urgency'] = String(args.urgency);
    if (args.short_description) body['short_description'] = args.short_description;
    if (args.assignment_group) body['assignment_group'] = (await groupByName(client, args.assignment_group)).sys_id;
    return body;
  }
  async function byNumber(client: ServiceNowClient, number: string): Promise<UpdatableIncident> {
    const record = await updatableByNumber(client, number);
    if (!record) throw new ServiceNowApiError(404, { error: { message: 'No Record found', detail: `Record doesn't exist or ACL restricts the record retrieval (${number})` }, status: 'failure' }, 'No Record found');
    return record;
  }

  return defineTool({
    name: 'update_incident',
    description: 'Change a ServiceNow incident: priority (P1-P5), urgency, short description, assignment group, or add an internal work note.',
    input: updateIncidentInput,
    output,
    risk: 'write',
    idempotent: false,
    scopes: ['useraccount'],
    describe: (args) => {
      const parts: string[] = [];
      if (args.priority) parts.push(`priority P${args.priority}`);
      if (args.urgency) parts.push(`urgency ${args.urgency}`);
      if (args.short_description) parts.push(`short description "${args.short_description}"`);
      if (args.assignment_group) parts.push(`assignment group "${args.assignment_group}"`);
      if (args.work_note) parts.push(`add work note "${args.work_note.length > 50 ? `${args.work_note.slice(0, 47)}...` : args.work_note}"`);
      return `Update ServiceNow incident ${args.number}: ${parts.join(', ')}`;
    },
    summarize: (out, args) => {
      if (out.already_set) return fit(`Incident ${quoteData(out.number, 20)} already had what you asked for, so nothing changed`);
      const parts: string[] = [];
      if (args.priority || args.urgency) parts.push(`priority ${quoteData(out.priority, 24)}`);
      if (args.short_description) parts.push(`summary ${quoteData(out.short_description, 50)}`);
      if (args.assignment_group) parts.push(`group ${quoteData(out.assignment_group ?? '', 30)}`);
      if (parts.length === 0) return fit(`Added your work note to incident ${quoteData(out.number, 20)}`);
      return fit(`Updated incident ${quoteData(out.number, 20)}: ${parts.join(', ')}`, args.work_note ? ', and added your work note' : undefined);
    },
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const body = await plan(client, args);
      const first = await byNumber(client, args.number);
      const note = args.work_note ? withRef(args.work_note, journalRef(ctx.idempotencyKey)) : undefined;
      if (!note && (await applied(ctx, client, first, body, undefined))) return toOutput(client, first, args, true);
      // Every attempt (the first too: a re-run carries the same key) looks for the note before writing.
      let attempt = 0;
      const record = await client.guardedWrite(async () => {
        attempt += 1;
        const current = attempt === 1 ? first : await byNumber(client, args.number);
        return (await applied(ctx, client, current, body, note)) ? current : undefined;
      }, () => patchUpdatable(client, first.sys_id.value, { ...body, ...(note ? { work_notes: note } : {}) }, false));
      return toOutput(client, record, args, false);
    },
    async reconcile(ctx, args) {
      const client = clientFor(ctx, deps);
      const record = await byNumber(client, args.number);
      const body = await plan(client, args);
      const note = args.work_note ? withRef(args.work_note, journalRef(ctx.idempotencyKey)) : undefined;
      return (await applied(ctx, client, record, body, note)) ? { status: 'applied', output: toOutput(client, record, args, false) } : { status: 'not_applied' };
    },
  });
}

function toOutput(client: ServiceNowClient, record: UpdatableIncident, args: Input, alreadySet: boolean): Output {
  return { ...normalizeUpdatable(record, client.baseUrl), changes: changeWords(args), already_set: alreadySet };
}
