import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import { fit, quoteData } from '../../shared/summary.js';
import { caseByNumber, caseNumberSchema, commentByRef, commentRef, picklistValue, readCase, withRef } from './cases.js';
import { bool, clientFor, SCOPES, text, type SalesforceToolDeps } from './common.js';
import { postCaseComment } from './commentOnCase.js';
import { caseSchema, toCase } from './normalize.js';

const input = z.object({
  case_number: caseNumberSchema,
  resolution: z.string().trim().min(1).max(3900).optional().describe('How it was resolved; added as an internal case comment'),
}).strict();
type Input = z.infer<typeof input>;

const output = caseSchema.extend({ already_closed: z.boolean().describe('True when the case was closed before, so nothing changed') });
type Output = z.infer<typeof output>;

/**
 * Closes a case: the resolution (if given) as an internal comment carrying the idempotency ref,
 * then Status = Closed. A closed case is the guard, and the comment is looked up before it is
 * posted, so a repeat changes nothing.
 */
export function closeCaseTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'close_case',
    description: 'Close a Salesforce case, optionally recording how it was resolved.',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Close Salesforce case ${args.case_number}${args.resolution ? ` with resolution "${args.resolution.length > 50 ? `${args.resolution.slice(0, 47)}...` : args.resolution}"` : ''}`,
    summarize: (out: Output, args: Input) => out.already_closed
      ? fit(`Salesforce case ${quoteData(out.caseNumber, 20)} was already closed, so nothing changed`)
      : fit(`Closed Salesforce case ${quoteData(out.caseNumber, 20)}`, out.subject ? ` (${quoteData(out.subject, 60)})` : undefined, args.resolution ? ' and recorded your resolution' : undefined),
    async execute(ctx: ToolContext, args: Input) {
      const client = clientFor(deps, ctx);
      const found = await caseByNumber(client, args.case_number);
      const instanceUrl = await client.instanceUrl();
      if (bool(found, 'IsClosed')) return { ...toCase(found, instanceUrl), already_closed: true };
      const id = text(found, 'Id') ?? '';
      const closed = await picklistValue(client, 'Case', 'Status', 'Closed', 'status');
      if (args.resolution) {
        const ref = commentRef(ctx.idempotencyKey);
        if (!(await commentByRef(client, id, ref))) await postCaseComment(client, id, withRef(`Resolution: ${args.resolution}`, ref), false);
      }
      await client.request({ method: 'PATCH', path: `/sobjects/Case/${encodeURIComponent(id)}`, body: { Status: closed }, idempotent: true });
      return { ...toCase(await readCase(client, id), instanceUrl), already_closed: false };
    },
  });
}
