import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import { fit, quoteData } from '../../shared/summary.js';
import { IDEMPOTENCY_FIELD } from '../constants.js';
import { sfQueryResponseSchema, sfRecordSchema, sfSaveResultSchema } from '../schemas.js';
import { buildSoql } from '../soql.js';
import { clientFor, isRecordId, resolveByName, SCOPES, text, type SalesforceToolDeps } from './common.js';
import { OPPORTUNITY_FIELDS, opportunitySchema, toOpportunity } from './normalize.js';
import { canonicalStage } from './updateOpportunityStage.js';

const input = z.object({
  name: z.string().trim().min(1).max(120).describe('Opportunity name, e.g. "ACME Corp - Fleet Renewal 2027"'),
  account: z.string().trim().min(1).max(255).describe('Account (company) name or account id it belongs to'),
  stage: z.string().trim().min(1).max(255).default('Prospecting').describe('Stage from the StageName picklist (default "Prospecting")'),
  close_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a close date looks like 2027-03-31').describe('Expected close date, YYYY-MM-DD'),
  amount: z.number().nonnegative().max(1e12).optional().describe('Expected amount in the org currency'),
}).strict();
type Input = z.infer<typeof input>;

const output = opportunitySchema.extend({ created: z.boolean().describe('False when this request had already created it') });
type Output = z.infer<typeof output>;

/**
 * Creates an opportunity owned by the employee as an upsert on the Switchboard_Key__c external id
 * (the runtime's idempotency key), as create_case does: a repeat finds the same record.
 */
export function createOpportunityTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'create_opportunity',
    description: 'Create a Salesforce opportunity (deal) for an account, owned by the employee.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Create Salesforce opportunity "${args.name}" for ${args.account} (stage ${args.stage}, closing ${args.close_date}${args.amount !== undefined ? `, amount ${args.amount}` : ''})`,
    summarize: (out: Output) => out.created
      ? fit(`Created opportunity ${quoteData(out.name, 60)} in stage ${quoteData(out.stage, 30)}`, out.account ? ` for ${quoteData(out.account, 40)}` : undefined, out.closeDate ? `, closing ${quoteData(out.closeDate, 12)}` : undefined)
      : fit(`Opportunity ${quoteData(out.name, 60)} had already been created for this request`),
    async execute(ctx: ToolContext, args: Input) {
      const client = clientFor(deps, ctx);
      const stage = await canonicalStage(client, args.stage);
      const accountId = isRecordId(args.account, '001') ? args.account : text(await resolveByName(client, 'Account', 'account', args.account), 'Id') ?? '';
      const { data } = await client.request({
        method: 'PATCH',
        path: `/sobjects/Opportunity/${IDEMPOTENCY_FIELD}/${encodeURIComponent(ctx.idempotencyKey)}`,
        body: { Name: args.name, AccountId: accountId, StageName: stage, CloseDate: args.close_date, ...(args.amount !== undefined ? { Amount: args.amount } : {}) },
        schema: sfSaveResultSchema,
        idempotent: true,
      });
      const record = await client.request({ method: 'GET', path: `/sobjects/Opportunity/${data.id}`, query: { fields: OPPORTUNITY_FIELDS.join(',') }, schema: sfRecordSchema });
      return { ...toOpportunity(record.data, await client.instanceUrl()), created: data.created ?? true };
    },
    async reconcile(ctx: ToolContext) {
      const client = clientFor(deps, ctx);
      const soql = buildSoql({ select: OPPORTUNITY_FIELDS, from: 'Opportunity', where: [{ field: IDEMPOTENCY_FIELD, op: '=', value: ctx.idempotencyKey }], limit: 2 });
      const { data } = await client.request({ method: 'GET', path: '/query', query: { q: soql }, schema: sfQueryResponseSchema });
      const [found] = data.records;
      return found ? { status: 'applied', output: { ...toOpportunity(found, await client.instanceUrl()), created: true } } : { status: 'not_applied' };
    },
  });
}
