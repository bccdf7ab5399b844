import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { RECORD_ID_PATTERN } from '../constants.js';
import { sfRecordSchema } from '../schemas.js';
import { clientFor, SCOPES, type SalesforceToolDeps } from './common.js';
import { ACCOUNT_FIELDS, accountSchema, CASE_FIELDS, caseSchema, OPPORTUNITY_FIELDS, opportunitySchema, toAccount, toCase, toOpportunity } from './normalize.js';

const FIELDS = { Account: ACCOUNT_FIELDS, Opportunity: OPPORTUNITY_FIELDS, Case: CASE_FIELDS } as const;

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
