import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import type { SalesforceClient } from '../client.js';
import { IDEMPOTENCY_FIELD } from '../constants.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { sfQueryResponseSchema, sfRecordSchema, sfSaveResultSchema } from '../schemas.js';
import { buildSoql } from '../soql.js';
import { clientFor, isRecordId, resolveByName, SCOPES, text, type SalesforceToolDeps } from './common.js';
import { CASE_FIELDS, caseSchema, toCase } from './normalize.js';

const input = z.object({
  subject: z.string().trim().min(1).max(255).describe('One-line summary of the customer issue.'),
  description: z.string().trim().max(32_000).optional().describe('Details of the issue.'),
  account: z.string().trim().min(1).max(255).optional().describe('Account (company) name or account id the case is for.'),
  priority: z.enum(['High', 'Medium', 'Low']).optional().describe('Case priority (default Medium).'),
}).strict();
type Input = z.infer<typeof input>;

const output = caseSchema.extend({ created: z.boolean().describe('False when this request had already created the case.') });
type Output = z.infer<typeof output>;

/**
 * Creates a case as an upsert on the Switchboard_Key__c external id, keyed by the runtime's
 * idempotency key: a repeated call (client retry, crash-resume) finds the same case instead of
 * opening a second one.
 */
export function createCaseTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'create_case',
    description: 'Open a Salesforce customer case, optionally for an account, owned by the employee.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Create a ${args.priority ?? 'Medium'} priority Salesforce case "${args.subject}"${args.account ? ` for ${args.account}` : ''}`,
    summarize: (out: Output) => {
      const account = out.account ? ` for ${quoteData(out.account, 40)}` : '';
      const priority = out.priority ? ` (priority ${quoteData(out.priority, 20)})` : '';
      const subject = out.subject ? `: ${quoteData(out.subject, 60)}` : '';
      return out.created
        ? sentence(`Opened Salesforce case ${quoteData(out.caseNumber, 20)}${account}${priority}${subject}`)
        : sentence(`Salesforce case ${quoteData(out.caseNumber, 20)} had already been opened for this request${subject}`);
    },
    async execute(ctx, args) {
      const client = clientFor(deps, ctx);
      const accountId = args.account ? await accountIdOf(client, args.account) : undefined;
      const { data } = await client.request({
        method: 'PATCH',
        path: `/sobjects/Case/${IDEMPOTENCY_FIELD}/${encodeURIComponent(ctx.idempotencyKey)}`,
        body: {
          Subject: args.subject,
          ...(args.description ? { Description: args.description } : {}),
          Priority: args.priority ?? 'Medium',
          Origin: 'Web',
          ...(accountId ? { AccountId: accountId } : {}),
        },
        schema: sfSaveResultSchema,
        idempotent: true,
      });
      const record = await client.request({ method: 'GET', path: `/sobjects/Case/${data.id}`, query: { fields: CASE_FIELDS.join(',') }, schema: sfRecordSchema });
      return { ...toCase(record.data, await client.instanceUrl()), created: data.created ?? true };
    },
    async reconcile(ctx: ToolContext, _args: Input) {
      const client = clientFor(deps, ctx);
      const soql = buildSoql({ select: CASE_FIELDS, from: 'Case', where: [{ field: IDEMPOTENCY_FIELD, op: '=', value: ctx.idempotencyKey }], limit: 2 });
      const { data } = await client.request({ method: 'GET', path: '/query', query: { q: soql }, schema: sfQueryResponseSchema });
      const [found] = data.records;
      if (!found) return { status: 'not_applied' };
      return { status: 'applied', output: { ...toCase(found, await client.instanceUrl()), created: true } };
    },
  });
}

async function accountIdOf(client: SalesforceClient, account: string): Promise<string> {
  if (isRecordId(account, '001')) return account;
  const record = await resolveByName(client, 'Account', 'account', account);
  return text(record, 'Id') ?? '';
}
