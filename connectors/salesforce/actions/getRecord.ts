import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { RECORD_ID_PATTERN } from '../constants.js';
import { day, fit, quoteData } from '../../shared/summary.js';
import { sfRecordSchema } from '../schemas.js';
import { clientFor, SCOPES, type SalesforceToolDeps } from './common.js';
import { ACCOUNT_FIELDS, accountSchema, CASE_FIELDS, caseSchema, OPPORTUNITY_FIELDS, opportunitySchema, toAccount, toCase, toOpportunity } from './normalize.js';

const FIELDS = { Account: ACCOUNT_FIELDS, Opportunity: OPPORTUNITY_FIELDS, Case: CASE_FIELDS } as const;

type Account = z.infer<typeof accountSchema>;
type Opportunity = z.infer<typeof opportunitySchema>;
type Case = z.infer<typeof caseSchema>;

const owned = (owner: string | null): string | undefined => (owner ? `, owned by ${quoteData(owner, 30)}` : undefined);

function accountSentence(r: Account): string {
  const about = [r.industry, r.type, r.city].filter((v): v is string => Boolean(v)).map((v) => quoteData(v, 24)).join(', ');
  return fit(`Salesforce account ${quoteData(r.name, 50)}`, about ? ` (${about})` : undefined, r.owner ? ` is owned by ${quoteData(r.owner, 30)}` : undefined);
}

function opportunitySentence(r: Opportunity): string {
  const closeDay = day(r.closeDate);
  const facts = [
    r.amount === null ? '' : `amount ${r.amount.toLocaleString('en-US')}`,
    r.probability === null || r.closed ? '' : `${r.probability}% likely`,
    closeDay ? `${r.closed ? 'closed' : 'closing'} ${closeDay}` : '',
  ].filter(Boolean).join(', ');
  return fit(
    `Salesforce opportunity ${quoteData(r.name, 50)}${r.account ? ` for ${quoteData(r.account, 30)}` : ''} is in stage ${quoteData(r.stage, 30)}`,
    facts ? ` (${facts})` : undefined,
    owned(r.owner),
  );
}

function caseSentence(r: Case): string {
  const state = [r.status ? quoteData(r.status, 24) : 'without a status', r.priority ? `priority ${quoteData(r.priority, 16)}` : ''].filter(Boolean).join(', ');
  return fit(
    `Salesforce case ${quoteData(r.caseNumber, 20)}${r.subject ? ` (${quoteData(r.subject, 50)})` : ''} is ${state}`,
    r.account ? `, account ${quoteData(r.account, 30)}` : undefined,
    owned(r.owner),
  );
}

export function getRecordTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'get_record',
    description: 'Read one Salesforce account, opportunity or case by its record id.',
    input: z.object({
      object: z.enum(['Account', 'Opportunity', 'Case']).describe('Which kind of record.'),
      id: z.string().trim().regex(RECORD_ID_PATTERN, 'a Salesforce record id has 15 or 18 letters and digits').describe('The 15- or 18-character record id, e.g. 0015g00000ABCDE.'),
    }).strict(),
    output: z.discriminatedUnion('object', [
      z.object({ object: z.literal('Account'), record: accountSchema }),
      z.object({ object: z.literal('Opportunity'), record: opportunitySchema }),
      z.object({ object: z.literal('Case'), record: caseSchema }),
    ]),
    risk: 'read',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Read Salesforce ${args.object} ${args.id}`,
    summarize: (out) => {
      if (out.object === 'Account') return accountSentence(out.record);
      if (out.object === 'Opportunity') return opportunitySentence(out.record);
      return caseSentence(out.record);
    },
    async execute(ctx, args) {
      const client = clientFor(deps, ctx);
      const { data } = await client.request({
        method: 'GET', path: `/sobjects/${args.object}/${encodeURIComponent(args.id)}`, query: { fields: FIELDS[args.object].join(',') }, schema: sfRecordSchema,
      });
      const instanceUrl = await client.instanceUrl();
      if (args.object === 'Account') return { object: 'Account' as const, record: toAccount(data, instanceUrl) };
      if (args.object === 'Opportunity') return { object: 'Opportunity' as const, record: toOpportunity(data, instanceUrl) };
      return { object: 'Case' as const, record: toCase(data, instanceUrl) };
    },
  });
}
