import type { Expectation } from './scenario.js';

/** What a perfect model would send for a scenario: the chat-completions reply the scripted server serves. */
export type ModelReply =
  | { readonly kind: 'message'; readonly toolCalls: readonly { readonly name: string; readonly arguments: Record<string, unknown> }[] }
  | { readonly kind: 'message'; readonly content: string };

/** Expected argument values as a model would write them ("~vpn drops" → "vpn drops"). */
function concrete(args: Readonly<Record<string, string | number | boolean>>, tool: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const plain = typeof value === 'string' && value.startsWith('~') ? value.slice(1) : value;
    // Array-valued tool arguments (labels) are given as one value in a scenario.
    out[key] = /_labels$/.test(key) && tool.startsWith('jira_') ? [plain] : plain;
  }
  return out;
}

/**
 * The planning reply for a scenario's expectation; after the steps ran, the model answers in text.
 * `undefined` for `defer`, which states no outcome for a model.
 */
export function scriptedPlanningReply(expected: Expectation): ModelReply | undefined {
  switch (expected.kind) {
    case 'plan':
      return {
        kind: 'message',
        toolCalls: [{
          name: 'submit_plan',
          arguments: { steps: expected.tools.map((t, i) => ({ id: `s${i + 1}`, tool: t.tool, args: concrete(t.args, t.tool), title: t.tool.replace(/_/g, ' ') })) },
        }],
      };
    case 'clarify':
      return { kind: 'message', toolCalls: [{ name: 'ask_user', arguments: { question: expected.asks ? `Could you tell me: ${expected.asks}?` : 'Could you tell me a bit more?' } }] };
    case 'decline':
      return { kind: 'message', content: expected.says ? `Sorry, ${expected.says}.` : "Sorry, I can't do that here, so I haven't changed anything." };
    case 'defer':
      return undefined;
  }
}
