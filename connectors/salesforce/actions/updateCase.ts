import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import { fit, quoteData } from '../../shared/summary.js';
import type { SalesforceClient } from '../client.js';
import { caseByNumber, caseNumberSchema, picklistValue, readCase } from './cases.js';
import { clientFor, SCOPES, text, type SalesforceToolDeps } from './common.js';
import { caseSchema, toCase } from './normalize.js';

const input = z.object({
  case_number: caseNumberSchema,
  status: z.string().trim().min(1).max(40).optional().describe('New status from the Status picklist, e.g. "Working" or "Escalated" (use close_case to close it)'),
  priority: z.string().trim().min(1).max(40).optional().describe('New priority: High, Medium or Low'),
  subject: z.string().trim().min(1).max(255).optional().describe('New one-line subject'),
}).strict().refine((a) => a.status !== undefined || a.priority !== undefined || a.subject !== undefined, 'name at least one change');
type Input = z.infer<typeof input>;

const output = caseSchema.extend({ changed: z.boolean().describe('False when the case already had every requested value') });
type Output = z.infer<typeof output>;

/** The PATCH body for the requested values, picklists checked against the org's own definitions. */
async function plannedBody(client: SalesforceClient, args: Input): Promise<Record<string, string>> {
  const body: Record<string, string> = {};
  if (args.status) body['Status'] = await picklistValue(client, 'Case', 'Status', args.status, 'status');
  if (args.priority) body['Priority'] = await picklistValue(client, 'Case', 'Priority', args.priority, 'priority');
  if (args.subject) body['Subject'] = args.subject;
  return body;
}

/**
 * Changes a case's status, priority or subject with one PATCH of absolute values, so repeating it
 * cannot change the outcome. Sharing decides: a Standard User may change only cases they own.
 */
export function updateCaseTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'update_case',
    description: 'Change a Salesforce case\'s status, priority or subject.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => {
      const parts = [args.status && `status "${args.status}"`, args.priority && `priority ${args.priority}`, args.subject && `subject "${args.subject}"`].filter(Boolean);
      return `Update Salesforce case ${args.case_number}: ${parts.join(', ')}`;
    },
    summarize: (out: Output, args: Input) => {
      const number = quoteData(out.caseNumber, 20);
      if (!out.changed) return fit(`Salesforce case ${number} already had what you asked for, so nothing changed`);
      const parts: string[] = [];
      if (args.status) parts.push(`status ${quoteData(out.status ?? '', 24)}`);
      if (args.priority) parts.push(`priority ${quoteData(out.priority ?? '', 16)}`);
      if (args.subject) parts.push(`subject ${quoteData(out.subject ?? '', 60)}`);
      return fit(`Updated Salesforce case ${number}: ${parts.join(', ')}`);
    },
    async execute(ctx: ToolContext, args: Input) {
      const client = clientFor(deps, ctx);
      const body = await plannedBody(client, args);
      const found = await caseByNumber(client, args.case_number);
      const instanceUrl = await client.instanceUrl();
      const id = text(found, 'Id') ?? '';
      if (Object.entries(body).every(([field, value]) => text(found, field) === value)) return { ...toCase(found, instanceUrl), changed: false };
      await client.request({ method: 'PATCH', path: `/sobjects/Case/${encodeURIComponent(id)}`, body, idempotent: true });
      return { ...toCase(await readCase(client, id), instanceUrl), changed: true };
    },
  });
}
