import { z } from 'zod';
import { defineTool } from '../../../src/tools/tool.js';
import { fit, plural, quoteData } from '../../shared/summary.js';
import { buildSoql, type SoqlCondition } from '../soql.js';
import { clientFor, MAX_RESULTS, parentText, recordLink, SCOPES, text, type SalesforceToolDeps } from './common.js';

const contactSchema = z.object({
  id: z.string(), name: z.string(), title: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(),
  account: z.string().nullable(), owner: z.string().nullable(), link: z.string(),
});
const CONTACT_FIELDS = ['Id', 'Name', 'Title', 'Email', 'Phone', 'Account.Name', 'Owner.Name'];
const filterText = (what: string) => z.string().trim().min(1).max(255).optional().describe(what);

/** Contacts by name, email and/or account, under the employee's own sharing rules. */
export function findContactsTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'find_contacts',
    description: 'Search Salesforce contacts (people at customer accounts) by name, email and/or account, as the employee sees them.',
    input: z.object({
      name: filterText('Part of the contact\'s name, e.g. "Coyote"'),
      email: filterText('Part of the email address'),
      account: filterText('Part of the account (company) name'),
      limit: z.number().int().min(1).max(MAX_RESULTS).optional().describe(`Most contacts to return (default 25, at most ${MAX_RESULTS})`),
    }).strict().refine((a) => a.name !== undefined || a.email !== undefined || a.account !== undefined, 'give a name, an email or an account to search for'),
    output: z.object({ contacts: z.array(contactSchema), count: z.number().int() }),
    risk: 'read',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Search Salesforce contacts${[args.name && ` named "${args.name}"`, args.email && ` with email "${args.email}"`, args.account && ` at "${args.account}"`].filter(Boolean).join(',')}`,
    summarize: (out) => {
      const first = out.contacts[0];
      if (!first) return fit('I found no Salesforce contact matching that among the records you can see');
      const who = (c: z.infer<typeof contactSchema>): string => `${quoteData(c.name, 40)}${c.title ? ` (${quoteData(c.title, 30)})` : ''}${c.account ? ` at ${quoteData(c.account, 30)}` : ''}`;
      return out.count === 1 ? fit(`Found ${who(first)}`, first.email ? `, ${quoteData(first.email, 50)}` : undefined) : fit(`Found ${plural(out.count, 'contact')}, first ${who(first)}`);
    },
    async execute(ctx, args) {
      const where: SoqlCondition[] = [];
      if (args.name) where.push({ field: 'Name', op: 'LIKE', value: args.name });
      if (args.email) where.push({ field: 'Email', op: 'LIKE', value: args.email });
      if (args.account) where.push({ field: 'Account.Name', op: 'LIKE', value: args.account });
      const client = clientFor(deps, ctx);
      const records = await client.query(buildSoql({ select: CONTACT_FIELDS, from: 'Contact', where, orderBy: { field: 'Name' }, limit: args.limit ?? 25 }));
      const instanceUrl = await client.instanceUrl();
      const contacts = records.map((r) => {
        const id = text(r, 'Id') ?? '';
        return {
          id, name: text(r, 'Name') ?? '', title: text(r, 'Title'), email: text(r, 'Email'), phone: text(r, 'Phone'),
          account: parentText(r, 'Account', 'Name'), owner: parentText(r, 'Owner', 'Name'), link: recordLink(instanceUrl, 'Contact', id),
        };
      });
      return { contacts, count: contacts.length };
    },
  });
}
