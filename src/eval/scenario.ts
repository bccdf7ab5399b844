import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * One evaluation scenario: who asks, what was said in the thread, and what Switchboard should do.
 * Argument values are compared case-insensitively; a value starting with "~" only has to be
 * contained in the planned value (free text such as a summary may be worded a little differently).
 */
const argsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const expectedStepSchema = z.object({ tool: z.string().min(1), args: argsSchema.default({}) }).strict();

export const expectationSchema = z.discriminatedUnion('kind', [
  /** These tools, in this order, with at least these arguments. */
  z.object({ kind: z.literal('plan'), tools: z.array(expectedStepSchema).min(1) }).strict(),
  /** A targeted question; `asks` is a case-insensitive pattern the question must match. */
  z.object({ kind: z.literal('clarify'), asks: z.string().optional() }).strict(),
  /** No write at all: a refusal, an honest "I cannot do that", or a question about it. */
  z.object({ kind: z.literal('decline'), says: z.string().optional() }).strict(),
  /** Beyond tier 0: it must hand the request on (to a model tier) without planning anything. */
  z.object({ kind: z.literal('defer') }).strict(),
]);
export type Expectation = z.infer<typeof expectationSchema>;

const turnSchema = z.union([
  z.object({ user: z.string().min(1) }).strict(),
  z.object({ assistant: z.string().min(1) }).strict(),
]);

const expectedRecordSchema = z.object({ system: z.enum(['servicenow', 'jira', 'salesforce', 'okta']), kind: z.string(), fields: argsSchema.default({}) }).strict();

/**
 * Records the sandboxes should hold afterwards (checked by the product mode only, `npm run eval --
 * --product`): `kind` is a sandbox record collection; `fields` are dotted paths into the row (Jira's
 * `fields.` may be left out). `approve: true` has an allowed approver approve each request, so the
 * approved write can be checked too.
 */
const endStateSchema = z.object({
  created: z.array(expectedRecordSchema).default([]),
  changed: z.array(expectedRecordSchema).default([]),
  approvalsRequested: z.number().int().min(0).optional(),
  approve: z.boolean().default(false),
  /** Nothing at all may be created or changed in any sandbox (a refusal, a question, a read). */
  unchanged: z.boolean().default(false),
}).strict();
export type EndState = z.infer<typeof endStateSchema>;

const rawScenarioSchema = z.object({
  id: z.string().optional(),
  persona: z.string().optional(),
  /** Shorthand for a single user turn. */
  say: z.string().optional(),
  turns: z.array(turnSchema).optional(),
  /** Shorthand for `expect: { kind: plan, tools: [{ tool: <file tool>, args }] }`. */
  args: argsSchema.optional(),
  expect: expectationSchema.optional(),
  /** What tier 0 should do when it differs from `expect` (e.g. defer a request only a model can plan). */
  tier0: expectationSchema.optional(),
  endState: endStateSchema.optional(),
  note: z.string().optional(),
}).strict().refine((s) => (s.say === undefined) !== (s.turns === undefined), { message: 'give either `say` or `turns`' });

const scenarioFileSchema = z.object({
  intent: z.string().min(1),
  persona: z.string().default('ada'),
  /** Default tool for the `args` shorthand. */
  tool: z.string().optional(),
  /** Default expectation for scenarios that give neither `args` nor `expect`. */
  expect: expectationSchema.optional(),
  scenarios: z.array(rawScenarioSchema).min(1),
}).strict();

export interface Scenario {
  readonly id: string;
  readonly intent: string;
  readonly persona: string;
  readonly turns: readonly z.infer<typeof turnSchema>[];
  readonly expect: Expectation;
  readonly tier0: Expectation;
  readonly endState?: EndState;
}

export class ScenarioFileError extends Error {
  readonly code = 'eval_scenario_invalid';
}

export function parseScenarioFile(text: string, source: string): Scenario[] {
  const parsed = scenarioFileSchema.safeParse(parse(text));
  if (!parsed.success) throw new ScenarioFileError(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const file = parsed.data;
  return file.scenarios.map((raw, index) => {
    const id = raw.id ?? `${source.replace(/\.ya?ml$/, '')}#${index + 1}`;
    let expect = raw.expect ?? (raw.args !== undefined || file.expect === undefined ? undefined : file.expect);
    if (!expect) {
      if (!file.tool) throw new ScenarioFileError(`${id}: no expectation and no file-level tool for the args shorthand`);
      expect = { kind: 'plan', tools: [{ tool: file.tool, args: raw.args ?? {} }] };
    }
    const turns = raw.turns ?? [{ user: raw.say! }];
    if (!('user' in turns[turns.length - 1]!)) throw new ScenarioFileError(`${id}: the last turn must be the employee's`);
    return { id, intent: file.intent, persona: raw.persona ?? file.persona, turns, expect, tier0: raw.tier0 ?? expect, ...(raw.endState ? { endState: raw.endState } : {}) };
  });
}

/** Every scenario under a directory (YAML files), ids unique. */
export async function loadScenarios(dir: string): Promise<Scenario[]> {
  const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const all = (await Promise.all(files.map(async (f) => parseScenarioFile(await readFile(join(dir, f), 'utf8'), f)))).flat();
  const seen = new Set<string>();
  for (const s of all) {
    if (seen.has(s.id)) throw new ScenarioFileError(`duplicate scenario id ${s.id}`);
    seen.add(s.id);
  }
  return all;
}
