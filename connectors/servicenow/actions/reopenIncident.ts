import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { ServiceNowApiError, ServiceNowStateError } from '../errors.js';
import { clientFor, type ServiceNowToolDeps } from './context.js';
import { incidentNumberSchema } from './incidents.js';
import { normalizeUpdatable, patchUpdatable, updatableByNumber, updatedIncidentOutputSchema } from './incidentUpdates.js';

const RESOLVED = '6';
const IN_PROGRESS = '2';
const ENDED = ['7', '8'];

const input = z.object({
  number: incidentNumberSchema,
  reason: z.string().trim().min(3).max(4000).describe('Why it is not fixed; added as a comment the caller and the assignee see'),
}).strict();

/**
 * Puts a Resolved incident back to In Progress with the reason as a comment, as the caller's
 * "Reopen" does. The state guard makes it repeatable: an incident that is already open comes back
 * unchanged. Closed and canceled incidents are final in ServiceNow; the employee is told to open a
 * new one instead.
 */
export function reopenIncidentTool(deps: ServiceNowToolDeps) {
  return defineTool({
    name: 'reopen_incident',
    description: 'Reopen a resolved ServiceNow incident (the problem came back), with the reason as a comment.',
    input,
    output: updatedIncidentOutputSchema.extend({ already_open: z.boolean().describe('True when the incident was not resolved, so nothing changed') }),
    risk: 'write',
    idempotent: true,
    scopes: ['useraccount'],
    describe: (args) => `Reopen ServiceNow incident ${args.number}: "${args.reason.length > 60 ? `${args.reason.slice(0, 57)}...` : args.reason}"`,
    summarize: (out) => out.already_open
      ? sentence(`Incident ${quoteData(out.number, 20)} is still open (${quoteData(out.state, 24)}), so nothing changed`)
      : sentence(`Reopened incident ${quoteData(out.number, 20)} (${quoteData(out.short_description, 50)}); it is ${quoteData(out.state, 24)} again with your reason as a comment`),
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const record = await updatableByNumber(client, args.number);
      if (!record) throw new ServiceNowApiError(404, { error: { message: 'No Record found', detail: `Record doesn't exist or ACL restricts the record retrieval (${args.number})` }, status: 'failure' }, 'No Record found');
      const state = record.state.value;
      if (ENDED.includes(state)) {
        throw new ServiceNowStateError('servicenow_incident_closed', `incident ${args.number} is ${record.state.display_value}`,
          `Incident ${args.number} is ${record.state.display_value.toLowerCase()} and can no longer be reopened. I can open a new incident that refers to it instead.`);
      }
      if (state !== RESOLVED) return { ...normalizeUpdatable(record, client.baseUrl), already_open: true };
      // The comment is a journal append, so a retry first looks whether the reopen already landed.
      let attempt = 0;
      const updated = await client.guardedWrite(async () => {
        attempt += 1;
        if (attempt === 1) return undefined;
        const current = await updatableByNumber(client, args.number);
        return current && current.state.value !== RESOLVED ? current : undefined;
      }, () => patchUpdatable(client, record.sys_id.value, { state: IN_PROGRESS, comments: `Reopened: ${args.reason}` }, false));
      return { ...normalizeUpdatable(updated, client.baseUrl), already_open: false };
    },
  });
}
