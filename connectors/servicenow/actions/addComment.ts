import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import type { ServiceNowClient } from '../client.js';
import { clientFor, journalRef, recordLink, requester, withoutRef, withRef, type ServiceNowToolDeps } from './context.js';
import { incidentByNumber, incidentNumberSchema, patchIncident } from './incidents.js';
import { journalByRef, type JournalEntry } from './journal.js';

const input = z.object({
  number: incidentNumberSchema,
  comment: z.string().trim().min(1).max(4000).describe('The comment, visible to the caller ("Additional comments")'),
}).strict();

const output = z.object({ number: z.string(), sys_id: z.string(), comment: z.string(), ref: z.string(), added_at: z.string(), link: z.string() });
type Output = z.infer<typeof output>;

/**
 * Appends to the incident's "Additional comments" journal. A journal append is not idempotent, so
 * the comment carries a ref derived from the idempotency key and is looked up before any retry.
 */
export function addCommentTool(deps: ServiceNowToolDeps) {
  async function existing(ctx: ToolContext, client: ServiceNowClient, sysId: string): Promise<JournalEntry | undefined> {
    const me = await requester(ctx, client);
    return journalByRef(client, { table: 'incident', elementId: sysId, ref: journalRef(ctx.idempotencyKey), userName: me.userName });
  }
  const toOutput = (client: ServiceNowClient, number: string, sysId: string, entry: { value: string; sys_created_on: string }, ref: string): Output =>
    ({ number, sys_id: sysId, comment: entry.value, ref, added_at: entry.sys_created_on, link: recordLink(client.baseUrl, 'incident', sysId) });

  return defineTool({
    name: 'add_comment',
    description: 'Add a comment (visible to the caller) to a ServiceNow incident.',
    input,
    output,
    risk: 'write',
    idempotent: false,
    scopes: ['useraccount'],
    describe: (args) => `Comment on ServiceNow incident ${args.number}: "${args.comment.length > 60 ? `${args.comment.slice(0, 57)}...` : args.comment}"`,
    summarize: (out) => sentence(`Added your comment ${quoteData(withoutRef(out.comment), 80)} to incident ${quoteData(out.number, 20)}`),
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const incident = await incidentByNumber(client, args.number);
      const sysId = incident.sys_id.value;
      const ref = journalRef(ctx.idempotencyKey);
      const text = withRef(args.comment, ref);
      const entry = await client.guardedWrite(() => existing(ctx, client, sysId), async () => {
        const updated = await patchIncident(client, sysId, { comments: text }, false);
        return { value: text, sys_created_on: updated.sys_updated_on.value };
      });
      return toOutput(client, incident.number.value, sysId, entry, ref);
    },
    async reconcile(ctx, args) {
      const client = clientFor(ctx, deps);
      const incident = await incidentByNumber(client, args.number);
      const entry = await existing(ctx, client, incident.sys_id.value);
      return entry ? { status: 'applied', output: toOutput(client, incident.number.value, incident.sys_id.value, entry, journalRef(ctx.idempotencyKey)) } : { status: 'not_applied' };
    },
  });
}
