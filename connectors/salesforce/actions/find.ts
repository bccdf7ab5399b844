import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { buildSoql, type SoqlCondition } from '../soql.js';
import { clientFor, MAX_RESULTS, SCOPES, type SalesforceToolDeps } from './common.js';
import { ACCOUNT_FIELDS, accountSchema, CASE_FIELDS, caseSchema, OPPORTUNITY_FIELDS, opportunitySchema, toAccount, toCase, toOpportunity } from './normalize.js';

const limit = z.number().int().min(1).max(MAX_RESULTS).optional().describe(`Most records to return (default 25, at most ${MAX_RESULTS}).`);
const filterText = (what: string): z.ZodOptional<z.ZodString> => z.string().trim().min(1).max(255).optional().describe(what);

/** Searches run as SOQL under the employee's own sharing rules, so results are only what they may see. */

export function findAccountsTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'find_accounts',
    description: 'Search Salesforce accounts (companies) by name, as the employee sees them.',
    input: z.object({ name: z.string().trim().min(1).max(255).describe('Part of the account name, e.g. "ACME".'), limit }).strict(),
    output: z.object({ accounts: z.array(accountSchema), count: z.number().int() }),
    risk: 'read',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Search Salesforce accounts matching "${args.name}"`,
    async execute(ctx, args) {
      const client = clientFor(deps, ctx);
      const records = await client.query(buildSoql({
        select: ACCOUNT_FIELDS, from: 'Account', where: [{ field: 'Name', op: 'LIKE', value: args.name }], orderBy: { field: 'Name' }, limit: args.limit ?? 25,
      }));
      const instanceUrl = await client.instanceUrl();
      return { accounts: records.map((r) => toAccount(r, instanceUrl)), count: records.length };
    },
  });
}

export function findOpportunitiesTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'find_opportunities',
    description: 'Search Salesforce opportunities (deals) by name, account and/or stage; with no filter, lists the ones the employee can see.',
    input: z.object({
      name: filterText('Part of the opportunity name.'),
      account: filterText('Part of the account (company) name.'),
      stage: filterText('Exact stage, e.g. "Prospecting" or "Negotiation/Review".'),
      limit,
    }).strict(),
    output: z.object({ opportunities: z.array(opportunitySchema), count: z.number().int() }),
    risk: 'read',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Search Salesforce opportunities${filters({ name: args.name, account: args.account, stage: args.stage })}`,
    async execute(ctx, args) {
      const where: SoqlCondition[] = [];
      if (args.name) where.push({ field: 'Name', op: 'LIKE', value: args.name });
      if (args.account) where.push({ field: 'Account.Name', op: 'LIKE', value: args.account });
      if (args.stage) where.push({ field: 'StageName', op: '=', value: args.stage });
      const client = clientFor(deps, ctx);
      const records = await client.query(buildSoql({ select: OPPORTUNITY_FIELDS, from: 'Opportunity', where, orderBy: { field: 'CloseDate' }, limit: args.limit ?? 25 }));
      const instanceUrl = await client.instanceUrl();
      return { opportunities: records.map((r) => toOpportunity(r, instanceUrl)), count: records.length };
    },
  });
}

export function findCasesTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'find_cases',
    description: 'Search Salesforce customer cases by subject, account and/or status; newest first.',
    input: z.object({
      subject: filterText('Part of the case subject.'),
      account: filterText('Part of the account (company) name.'),
      status: filterText('Exact status, e.g. "New", "Working", "Escalated" or "Closed".'),
      limit,
    }).strict(),
    output: z.object({ cases: z.array(caseSchema), count: z.number().int() }),
    risk: 'read',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Search Salesforce cases${filters({ subject: args.subject, account: args.account, status: args.status })}`,
    async execute(ctx, args) {
      const where: SoqlCondition[] = [];
      if (args.subject) where.push({ field: 'Subject', op: 'LIKE', value: args.subject });
      if (args.account) where.push({ field: 'Account.Name', op: 'LIKE', value: args.account });
      if (args.status) where.push({ field: 'Status', op: '=', value: args.status });
      const client = clientFor(deps, ctx);
      const records = await client.query(buildSoql({ select: CASE_FIELDS, from: 'Case', where, orderBy: { field: 'CreatedDate', direction: 'DESC' }, limit: args.limit ?? 25 }));
      const instanceUrl = await client.instanceUrl();
      return { cases: records.map((r) => toCase(r, instanceUrl)), count: records.length };
    },
  });
}

function filters(values: Record<string, string | undefined>): string {
  const parts = Object.entries(values).filter(([, v]) => v).map(([k, v]) => `${k} "${v ?? ''}"`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
