import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import type { SalesforceClient } from '../client.js';
import { sfSaveResultSchema, type SfRecord } from '../schemas.js';
import { caseByNumber, caseNumberSchema, commentByRef, commentRef, withoutRef, withRef } from './cases.js';
import { bool, clientFor, recordLink, SCOPES, text, type SalesforceToolDeps } from './common.js';

const input = z.object({
  case_number: caseNumberSchema,
  comment: z.string().trim().min(1).max(3900).describe('The comment text'),
  public: z.boolean().default(false).describe('True to publish it to the customer (portal); default false, an internal comment'),
}).strict();
type Input = z.infer<typeof input>;

const output = z.object({
  case_number: z.string(), case_id: z.string(), comment_id: z.string(), comment: z.string(), public: z.boolean(), created_at: z.string().nullable(), link: z.string(),
});
type Output = z.infer<typeof output>;

export async function postCaseComment(client: SalesforceClient, caseId: string, body: string, isPublished: boolean): Promise<string> {
  const { data } = await client.request({ method: 'POST', path: '/sobjects/CaseComment', body: { ParentId: caseId, CommentBody: body, IsPublished: isPublished }, schema: sfSaveResultSchema, idempotent: false });
  return data.id;
}

/**
 * Adds a CaseComment. A create is not idempotent and CaseComment takes no custom fields, so the
 * comment carries a ref derived from the idempotency key and every attempt first looks for it.
 */
export function commentOnCaseTool(deps: SalesforceToolDeps) {
  const toOutput = async (client: SalesforceClient, found: SfRecord, comment: SfRecord): Promise<Output> => {
    const caseId = text(found, 'Id') ?? '';
    return {
      case_number: text(found, 'CaseNumber') ?? '', case_id: caseId, comment_id: text(comment, 'Id') ?? '', comment: text(comment, 'CommentBody') ?? '',
      public: bool(comment, 'IsPublished'), created_at: text(comment, 'CreatedDate'), link: recordLink(await client.instanceUrl(), 'Case', caseId),
    };
  };
  return defineTool({
    name: 'comment_on_case',
    description: 'Add a comment to a Salesforce case (internal by default, or published to the customer).',
    input,
    output,
    risk: 'write',
    idempotent: false,
    scopes: SCOPES,
    describe: (args) => `Add ${args.public ? 'a public' : 'an internal'} comment to Salesforce case ${args.case_number}: "${args.comment.length > 60 ? `${args.comment.slice(0, 57)}...` : args.comment}"`,
    summarize: (out: Output) => sentence(`Added your ${out.public ? 'public' : 'internal'} comment ${quoteData(withoutRef(out.comment), 80)} to Salesforce case ${quoteData(out.case_number, 20)}`),
    async execute(ctx: ToolContext, args: Input) {
      const client = clientFor(deps, ctx);
      const found = await caseByNumber(client, args.case_number);
      const caseId = text(found, 'Id') ?? '';
      const ref = commentRef(ctx.idempotencyKey);
      const existing = await commentByRef(client, caseId, ref);
      if (existing) return toOutput(client, found, existing);
      await postCaseComment(client, caseId, withRef(args.comment, ref), args.public);
      const written = await commentByRef(client, caseId, ref);
      if (!written) throw new Error('the comment Salesforce accepted could not be read back');
      return toOutput(client, found, written);
    },
    async reconcile(ctx: ToolContext, args: Input) {
      const client = clientFor(deps, ctx);
      const found = await caseByNumber(client, args.case_number);
      const written = await commentByRef(client, text(found, 'Id') ?? '', commentRef(ctx.idempotencyKey));
      return written ? { status: 'applied', output: await toOutput(client, found, written) } : { status: 'not_applied' };
    },
  });
}
