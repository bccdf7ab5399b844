import { z } from 'zod';
import { ValidationError } from '../../../src/core/errors.js';
import { defineTool, type ToolContext } from '../../../src/tools/tool.js';
import type { SalesforceClient } from '../client.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { sfDescribeSchema, sfRecordSchema } from '../schemas.js';
import { clientFor, isRecordId, resolveByName, SCOPES, text, type SalesforceToolDeps } from './common.js';
import { OPPORTUNITY_FIELDS, opportunitySchema, toOpportunity } from './normalize.js';

const input = z.object({
  opportunity: z.string().trim().min(1).max(255).describe('Opportunity name (or part of it) or its record id.'),
  stage: z.string().trim().min(1).max(255).describe('Target stage from the StageName picklist, e.g. "Negotiation/Review" or "Closed Won".'),
}).strict();
type Input = z.infer<typeof input>;

const output = opportunitySchema.extend({
  previousStage: z.string().nullable().describe('Stage before this change; null when not known.'),
  changed: z.boolean().describe('False when the opportunity was already in that stage.'),
});
type Output = z.infer<typeof output>;

/** Sets StageName to an absolute value, so repeating it cannot change the outcome. */
export function updateOpportunityStageTool(deps: SalesforceToolDeps) {
  return defineTool({
    name: 'update_opportunity_stage',
    description: 'Move a Salesforce opportunity to another sales stage (validated against the StageName picklist).',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: SCOPES,
    describe: (args) => `Move Salesforce opportunity "${args.opportunity}" to stage "${args.stage}"`,
    summarize: (out: Output) => {
      const name = quoteData(out.name, 50);
      const stage = quoteData(out.stage, 30);
      if (!out.changed) return sentence(`Opportunity ${name} was already in stage ${stage}, so nothing changed`);
      return out.previousStage && out.previousStage !== out.stage
        ? sentence(`Moved opportunity ${name} from ${quoteData(out.previousStage, 30)} to ${stage}`)
        : sentence(`Moved opportunity ${name} to ${stage}`);
    },
    async execute(ctx, args) {
      const client = clientFor(deps, ctx);
      const stage = await canonicalStage(client, args.stage);
      const current = await loadOpportunity(client, args.opportunity);
      const instanceUrl = await client.instanceUrl();
      const before = toOpportunity(current, instanceUrl);
      if (before.stage === stage) return { ...before, previousStage: before.stage, changed: false };
      await client.request({ method: 'PATCH', path: `/sobjects/Opportunity/${before.id}`, body: { StageName: stage }, idempotent: true });
      const after = await readOpportunity(client, before.id);
      return { ...toOpportunity(after, instanceUrl), previousStage: before.stage, changed: true };
    },
    async reconcile(ctx: ToolContext, args: Input) {
      const client = clientFor(deps, ctx);
      const stage = await canonicalStage(client, args.stage);
      const now = toOpportunity(await loadOpportunity(client, args.opportunity), await client.instanceUrl());
      if (now.stage !== stage) return { status: 'not_applied' };
      const applied: Output = { ...now, previousStage: null, changed: true };
      return { status: 'applied', output: applied };
    },
  });
}

/** The picklist is per org (and per record type), so it is read from describe rather than hard-coded. */
export async function canonicalStage(client: SalesforceClient, requested: string): Promise<string> {
  const { data } = await client.request({ method: 'GET', path: '/sobjects/Opportunity/describe', schema: sfDescribeSchema });
  const values = data.fields.find((f) => f.name === 'StageName')?.picklistValues.filter((p) => p.active) ?? [];
  const wanted = requested.trim().toLowerCase();
  const names = (p: { value: string; label: string }): string[] => [p.value.toLowerCase(), p.label.toLowerCase()];
  const exact = values.find((p) => names(p).includes(wanted));
  if (exact) return exact.value;
  // People say "Negotiation" for "Negotiation/Review": accept a word-prefix when it names one stage only.
  const partial = values.filter((p) => names(p).some((n) => n.startsWith(wanted) || n.split(/[\s/-]+/).includes(wanted)));
  if (wanted.length >= 3 && partial.length === 1) return partial[0]!.value;
  if (partial.length > 1) {
    throw new ValidationError(`ambiguous opportunity stage "${requested}"`, `"${requested}" could mean ${partial.map((p) => p.label).join(' or ')}. Which stage do you mean?`);
  }
  throw new ValidationError(`unknown opportunity stage "${requested}"`, `"${requested}" is not a Salesforce opportunity stage. Valid stages: ${values.map((p) => p.label).join(', ')}.`);
}

async function loadOpportunity(client: SalesforceClient, opportunity: string) {
  if (isRecordId(opportunity, '006')) return readOpportunity(client, opportunity);
  const found = await resolveByName(client, 'Opportunity', 'opportunity', opportunity);
  return readOpportunity(client, text(found, 'Id') ?? '');
}

async function readOpportunity(client: SalesforceClient, id: string) {
  const { data } = await client.request({ method: 'GET', path: `/sobjects/Opportunity/${encodeURIComponent(id)}`, query: { fields: OPPORTUNITY_FIELDS.join(',') }, schema: sfRecordSchema });
  return data;
}
