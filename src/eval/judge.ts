import type { JsonObject } from '../core/json.js';
import type { Expectation } from './scenario.js';

/** What a planner tier did with a scenario's last turn, reduced to what the suite compares. */
export type Outcome =
  | { readonly kind: 'plan'; readonly steps: readonly { readonly tool: string; readonly args: JsonObject }[] }
  | { readonly kind: 'clarify'; readonly question: string }
  | { readonly kind: 'answer'; readonly text: string }
  | { readonly kind: 'none' };

export interface Verdict {
  readonly pass: boolean;
  /** Why it failed, for the report. */
  readonly detail?: string;
}

function sameValue(expected: string | number | boolean, actual: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => sameValue(expected, item));
  if (typeof expected !== 'string') return actual === expected;
  if (typeof actual !== 'string') return false;
  const a = actual.trim().toLowerCase();
  return expected.startsWith('~') ? a.includes(expected.slice(1).trim().toLowerCase()) : a === expected.trim().toLowerCase();
}

function describe(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'plan': return `planned ${outcome.steps.map((s) => `${s.tool}(${JSON.stringify(s.args)})`).join(', ')}`;
    case 'clarify': return `asked "${outcome.question}"`;
    case 'answer': return `answered "${outcome.text.slice(0, 120)}"`;
    case 'none': return 'handed the request on';
  }
}

export function judge(expected: Expectation, outcome: Outcome): Verdict {
  const fail = (why: string): Verdict => ({ pass: false, detail: `${why}; it ${describe(outcome)}` });
  switch (expected.kind) {
    case 'plan': {
      if (outcome.kind !== 'plan') return fail(`expected ${expected.tools.map((t) => t.tool).join(', ')}`);
      if (outcome.steps.length !== expected.tools.length) return fail(`expected ${expected.tools.length} step(s)`);
      for (const [i, want] of expected.tools.entries()) {
        const got = outcome.steps[i]!;
        if (got.tool !== want.tool) return fail(`expected ${want.tool} as step ${i + 1}`);
        for (const [key, value] of Object.entries(want.args)) {
          if (!sameValue(value, got.args[key])) return fail(`expected ${key}=${JSON.stringify(value)}`);
        }
      }
      return { pass: true };
    }
    case 'clarify':
      if (outcome.kind !== 'clarify') return fail('expected a clarifying question');
      return expected.asks && !new RegExp(expected.asks, 'i').test(outcome.question) ? fail(`expected a question matching /${expected.asks}/`) : { pass: true };
    case 'decline': {
      if (outcome.kind !== 'answer' && outcome.kind !== 'clarify') return fail('expected a refusal or a question, no plan');
      const text = outcome.kind === 'answer' ? outcome.text : outcome.question;
      return expected.says && !new RegExp(expected.says, 'i').test(text) ? fail(`expected a reply matching /${expected.says}/`) : { pass: true };
    }
    case 'defer':
      return outcome.kind === 'none' ? { pass: true } : fail('expected tier 0 to hand the request to a model tier');
  }
}
