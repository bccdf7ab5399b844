import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Counts tokens the way the provider will, before a call, so caps are enforced up front. */
export interface TokenCounter {
  count(text: string, model?: string): number;
  countMessages(messages: readonly ChatCompletionMessageParam[], tools?: readonly ChatCompletionTool[], model?: string): number;
}

/** GPT-4o and later use o200k_base; GPT-4/3.5 use cl100k_base; other (open) models get o200k as a close estimate. */
export function encodingForModel(model: string | undefined): EncodingName {
  if (model && /^(gpt-4(?!o|\.1)|gpt-3\.5)/.test(model)) return 'cl100k_base';
  return 'o200k_base';
}

// Chat framing overhead per message and for the reply primer (OpenAI's published counting recipe).
const PER_MESSAGE = 3;
const REPLY_PRIMER = 3;

function messageText(message: ChatCompletionMessageParam): string {
  const parts: string[] = [message.role];
  const content = message.content;
  if (typeof content === 'string') parts.push(content);
  else if (Array.isArray(content)) for (const part of content) if ('text' in part && typeof part.text === 'string') parts.push(part.text);
  if (message.role === 'assistant' && message.tool_calls) {
    for (const call of message.tool_calls) if (call.type === 'function') parts.push(call.function.name, call.function.arguments);
  }
  return parts.join('\n');
}

/**
 * Building an encoder from its rank table takes ~0.8 s, so it happens lazily and once per counter;
 * create one counter per process and pass it to every factory that needs it.
 */
export function createTokenCounter(): TokenCounter {
  const encoders = new Map<EncodingName, Tiktoken>();
  const encoder = (model: string | undefined): Tiktoken => {
    const name = encodingForModel(model);
    let enc = encoders.get(name);
    if (!enc) {
      enc = new Tiktoken(name === 'o200k_base' ? o200kBase : cl100kBase);
      encoders.set(name, enc);
    }
    return enc;
  };
  const count = (text: string, model?: string): number => encoder(model).encode(text, [], []).length;
  return {
    count,
    countMessages(messages, tools, model) {
      let total = REPLY_PRIMER;
      for (const message of messages) total += PER_MESSAGE + count(messageText(message), model);
      if (tools && tools.length > 0) total += count(JSON.stringify(tools), model);
      return total;
    },
  };
}
