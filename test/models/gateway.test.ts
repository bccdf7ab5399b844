import { BudgetExceededError } from '../../src/core/errors.js';
import { ModelUnavailableError } from '../../src/models/errors.js';
import { InMemoryBudgetMeter } from '../support/inMemoryBudget.js';
import { gatewayFor, silentLogger, tierConfig } from '../support/models.js';
import { startScriptedOpenAI, type ScriptedOpenAI } from '../support/scriptedOpenAI.js';

describe('ModelGateway against a real OpenAI-compatible HTTP server', () => {
  let primary: ScriptedOpenAI;
  let secondary: ScriptedOpenAI;
  beforeEach(async () => {
    primary = await startScriptedOpenAI();
    secondary = await startScriptedOpenAI();
  });
  afterEach(async () => {
    await primary.close();
    await secondary.close();
  });

  const ctx = (budget = new InMemoryBudgetMeter()) => ({ budget, signal: new AbortController().signal, logger: silentLogger });
  const userAsks = [{ role: 'user' as const, content: 'list my tickets' }];

  test('tool-call round trip: tools go out, tool calls and usage come back, cost is exact', async () => {
    primary.enqueue({ kind: 'message', toolCalls: [{ name: 'submit_plan', arguments: { steps: [] } }], usage: { prompt_tokens: 1_000, completion_tokens: 50, cached_tokens: 200 } });
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model') });
    const budget = new InMemoryBudgetMeter();
    const result = await gateway.call('fast', {
      messages: userAsks,
      tools: [{ type: 'function', function: { name: 'submit_plan', parameters: { type: 'object' } } }],
      toolChoice: 'auto',
      purpose: 'plan',
    }, ctx(budget));
    expect(result.toolCalls).toEqual([{ id: 'call_1', name: 'submit_plan', arguments: '{"steps":[]}' }]);
    // 800 × 2.5 + 200 × 1.25 + 50 × 10 = 2,000 + 250 + 500
    expect(result.usage).toEqual({ tier: 'fast', model: 'fast-model', inputTokens: 1_000, cachedInputTokens: 200, outputTokens: 50, costMicros: 2_750 });
    expect(budget.settled).toEqual([result.usage]);
    const sent = primary.requests[0]!.body;
    expect(sent.model).toBe('fast-model');
    expect(sent.tools?.[0]?.function.name).toBe('submit_plan');
    expect(sent.stream).toBeFalsy();
    // The reservation carried a real estimate made before the call.
    expect(budget.reservations[0]!.inputTokens).toBe(gateway.estimateInput({ messages: userAsks, tools: [{ type: 'function', function: { name: 'submit_plan', parameters: { type: 'object' } } }], purpose: 'plan' }, 'fast'));
    expect(budget.reservations[0]!.maxOutputTokens).toBe(512);
  });

  test('streaming: deltas arrive in order and usage comes from the final usage chunk', async () => {
    const text = 'You have two open incidents: INC0010001 and INC0010002.';
    primary.enqueue({ kind: 'message', content: text, usage: { prompt_tokens: 321, completion_tokens: 17 } });
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model') });
    const deltas: string[] = [];
    const result = await gateway.call('fast', { messages: userAsks, onDelta: (d) => deltas.push(d), purpose: 'answer' }, ctx());
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(text);
    expect(result.content).toBe(text);
    expect(result.usage.inputTokens).toBe(321);
    expect(result.usage.outputTokens).toBe(17);
    expect(result.usageEstimated).toBe(false);
    expect(primary.requests[0]!.body.stream_options).toEqual({ include_usage: true });
  });

  test('429 with Retry-After is retried after the advertised delay, then succeeds', async () => {
    primary.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '1' } }, { kind: 'message', content: 'ok' });
    const retries: { attempt: number; delayMs: number; status?: number }[] = [];
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model') }, { onRetry: (e) => retries.push(e) });
    const budget = new InMemoryBudgetMeter();
    const result = await gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx(budget));
    expect(result.content).toBe('ok');
    expect(primary.requests).toHaveLength(2);
    expect(retries).toEqual([{ attempt: 1, delayMs: 1_000, status: 429 }]);
    expect(budget.settled).toHaveLength(1);
  });

  test('5xx is retried with backoff; the SDK itself never retries', async () => {
    primary.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 503 }, { kind: 'message', content: 'third time' });
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model') });
    const result = await gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx());
    expect(result.content).toBe('third time');
    expect(primary.requests).toHaveLength(3);
  });

  test('provider down falls back to the next tier; all down raises ModelUnavailableError and releases the budget', async () => {
    primary.setHandler(() => ({ kind: 'error', status: 503 }));
    secondary.enqueue({ kind: 'message', content: 'from power' });
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model'), power: tierConfig(secondary.baseUrl, 'power-model') });
    const ok = await gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx());
    expect(ok.tier).toBe('power');
    expect(ok.content).toBe('from power');
    expect(primary.requests).toHaveLength(3);

    secondary.setHandler(() => ({ kind: 'error', status: 500 }));
    const budget = new InMemoryBudgetMeter();
    await expect(gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx(budget))).rejects.toBeInstanceOf(ModelUnavailableError);
    expect(budget.settled).toHaveLength(0);
    expect(budget.released).toBe(2);
  });

  test('a hanging provider times out and the next tier answers', async () => {
    primary.setHandler(() => ({ kind: 'hang' }));
    secondary.enqueue({ kind: 'message', content: 'mid answered' });
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model', { timeoutMs: 200 }), mid: tierConfig(secondary.baseUrl, 'mid-model') });
    const result = await gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx());
    expect(result.tier).toBe('mid');
    expect(primary.requests).toHaveLength(1);
  });

  test('an open circuit skips the dead provider without calling it', async () => {
    primary.setHandler(() => ({ kind: 'error', status: 500 }));
    secondary.setHandler(() => ({ kind: 'message', content: 'power' }));
    const resilience = { maxRetries: 0, baseDelayMs: 1, maxRetryAfterMs: 10, breakerThreshold: 2, breakerHalfOpenAfterMs: 60_000 };
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model'), power: tierConfig(secondary.baseUrl, 'power-model') }, { resilience });
    for (let i = 0; i < 4; i += 1) await gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx());
    expect(primary.requests).toHaveLength(2);
    expect(secondary.requests).toHaveLength(4);
  });

  test('a budget cap stops the call before anything is sent', async () => {
    primary.enqueue({ kind: 'message', content: 'never' });
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model') });
    await expect(gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx(new InMemoryBudgetMeter({ tokens: 100 })))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(primary.requests).toHaveLength(0);
  });

  test('missing usage is estimated with the tokenizer and flagged', async () => {
    primary.enqueue({ kind: 'message', content: 'hello world', usage: null });
    const gateway = gatewayFor({ fast: tierConfig(primary.baseUrl, 'fast-model') });
    const result = await gateway.call('fast', { messages: userAsks, purpose: 'plan' }, ctx());
    expect(result.usageEstimated).toBe(true);
    expect(result.usage.outputTokens).toBe(2);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });
});
