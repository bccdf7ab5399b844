import { costMicros } from '../../src/models/pricing.js';
import { createTokenCounter, encodingForModel } from '../../src/models/tokenCounter.js';

describe('costMicros', () => {
  const prices = { input: 2.5, cachedInput: 1.25, output: 10 };

  test('known usage and prices give the exact micro-dollar total', () => {
    // 12,345 input of which 2,345 cached, 678 output:
    // 10,000 × 2.5 + 2,345 × 1.25 + 678 × 10 = 25,000 + 2,931.25 + 6,780 = 34,711.25 → rounded up to 34,712
    expect(costMicros({ inputTokens: 12_345, cachedInputTokens: 2_345, outputTokens: 678 }, prices)).toBe(34_712);
  });

  test('exact totals are not rounded', () => {
    expect(costMicros({ inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000 }, prices)).toBe(12_500_000);
    expect(costMicros({ inputTokens: 400, cachedInputTokens: 0, outputTokens: 100 }, prices)).toBe(2_000);
  });

  test('a fraction of a micro-dollar is rounded up once, never per component', () => {
    const cheap = { input: 0.15, cachedInput: 0.075, output: 0.6 };
    // 1 × 0.15 + 1 × 0.075 + 1 × 0.6 = 0.825 micros → 1
    expect(costMicros({ inputTokens: 2, cachedInputTokens: 1, outputTokens: 1 }, cheap)).toBe(1);
    // 3 × 0.15 + 3 × 0.075 = 0.675 → 1 (per-component ceil would give 2)
    expect(costMicros({ inputTokens: 6, cachedInputTokens: 3, outputTokens: 0 }, cheap)).toBe(1);
  });

  test('cached input falls back to the input price and is clamped to the prompt size', () => {
    expect(costMicros({ inputTokens: 100, cachedInputTokens: 100, outputTokens: 0 }, { input: 3, output: 15 })).toBe(300);
    expect(costMicros({ inputTokens: 100, cachedInputTokens: 500, outputTokens: 0 }, prices)).toBe(125);
  });

  test('totals are exact to $0.001 for large volumes', () => {
    // 7,654,321 input × $0.40/M = $3.0617284 → 3,061,729 micros (ceil of 3,061,728.4)
    expect(costMicros({ inputTokens: 7_654_321, cachedInputTokens: 0, outputTokens: 0 }, { input: 0.4, output: 1.6 })).toBe(3_061_729);
  });
});

describe('token counter', () => {
  const counter = createTokenCounter();
  test('uses the real BPE ranks, not a character heuristic', () => {
    expect(counter.count('hello world')).toBe(2);
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-4-turbo')).toBe('cl100k_base');
    expect(encodingForModel('llama-3.1-8b')).toBe('o200k_base');
  });
  test('message counting adds framing per message and counts tool schemas', () => {
    const plain = counter.countMessages([{ role: 'user', content: 'hello world' }]);
    expect(plain).toBe(3 + 3 + counter.count('user\nhello world'));
    const withTools = counter.countMessages([{ role: 'user', content: 'hello world' }], [{ type: 'function', function: { name: 'x', parameters: { type: 'object' } } }]);
    expect(withTools).toBeGreaterThan(plain);
  });
});
