import { z } from 'zod';
import { APIError, APIUserAbortError, type OpenAI } from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { ProviderCallError } from './errors.js';
import { retryAfterMs } from './retryAfter.js';
import type { ModelCallRequest, ModelToolCall } from './types.js';

/** Providers disagree on optional fields; only what we read is required, and counts must be sane. */
const usageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).nullish(),
});

export interface RawCallResult {
  readonly content: string;
  readonly toolCalls: ModelToolCall[];
  readonly finishReason: string | null;
  readonly usage: { inputTokens: number; cachedInputTokens: number; outputTokens: number } | null;
}

function parseUsage(raw: unknown): RawCallResult['usage'] {
  const parsed = usageSchema.safeParse(raw);
  if (!parsed.success) return null;
  return {
    inputTokens: parsed.data.prompt_tokens,
    cachedInputTokens: parsed.data.prompt_tokens_details?.cached_tokens ?? 0,
    outputTokens: parsed.data.completion_tokens,
  };
}

/** Maps whatever the SDK threw to a ProviderCallError the policies understand; a caller abort stays an abort. */
export function toProviderError(error: unknown, callerSignal: AbortSignal | undefined, attemptSignal: AbortSignal): unknown {
  if (callerSignal?.aborted) return error;
  if (error instanceof APIUserAbortError || attemptSignal.aborted) {
    return new ProviderCallError('model call timed out', { cause: error, status: 408 });
  }
  if (error instanceof APIError) {
    const wait = retryAfterMs(error.headers ?? undefined);
    return new ProviderCallError(`model provider answered ${error.status ?? 'without a status'}`, {
      cause: error,
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    });
  }
  if (error instanceof ProviderCallError) return error;
  return new ProviderCallError('model provider returned an unusable response', { cause: error, status: 502 });
}

/** One Chat Completions request (JSON or SSE), no retries: the caller's policy owns those. */
export async function performChatCall(client: OpenAI, model: string, request: ModelCallRequest, maxTokens: number, signal: AbortSignal): Promise<RawCallResult> {
  const base: ChatCompletionCreateParamsBase = {
    model,
    messages: [...request.messages],
    max_tokens: maxTokens,
    ...(request.tools && request.tools.length > 0 ? { tools: [...request.tools], ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}) } : {}),
  };
  if (!request.onDelta) {
    const completion = await client.chat.completions.create({ ...base, stream: false }, { signal });
    const choice = completion.choices[0];
    if (!choice) throw new ProviderCallError('model returned no choices', { status: 502 });
    const toolCalls: ModelToolCall[] = [];
    for (const call of choice.message.tool_calls ?? []) {
      if (call.type === 'function') toolCalls.push({ id: call.id, name: call.function.name, arguments: call.function.arguments });
    }
    return { content: choice.message.content ?? '', toolCalls, finishReason: choice.finish_reason ?? null, usage: parseUsage(completion.usage) };
  }
  const stream = await client.chat.completions.create({ ...base, stream: true, stream_options: { include_usage: true } }, { signal });
  let content = '';
  let finishReason: string | null = null;
  let usage: RawCallResult['usage'] = null;
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  for await (const chunk of stream) {
    if (chunk.usage) usage = parseUsage(chunk.usage);
    const choice = chunk.choices[0];
    if (!choice) continue;
    const text = choice.delta.content;
    if (text) {
      content += text;
      request.onDelta(text);
    }
    for (const delta of choice.delta.tool_calls ?? []) {
      const entry = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      if (delta.id) entry.id = delta.id;
      if (delta.function?.name) entry.name += delta.function.name;
      if (delta.function?.arguments) entry.arguments += delta.function.arguments;
      calls.set(delta.index, entry);
    }
    if (choice.finish_reason) finishReason = choice.finish_reason;
  }
  const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([index, c]) => ({ ...c, id: c.id || `call_${index}` }));
  return { content, toolCalls, finishReason, usage };
}
