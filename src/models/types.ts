import type { ChatCompletionMessageParam, ChatCompletionTool, ChatCompletionToolChoiceOption } from 'openai/resources/chat/completions';
import type { ModelUsage } from '../planner/planner.js';

export type ModelTier = 'fast' | 'mid' | 'power';
export const MODEL_TIERS: readonly ModelTier[] = ['fast', 'mid', 'power'];

export type ChatMessage = ChatCompletionMessageParam;
export type ChatTool = ChatCompletionTool;

export interface ModelCallRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ChatTool[];
  readonly toolChoice?: ChatCompletionToolChoiceOption;
  /** Lower than the tier's maxOutputTokens when a call needs less (summaries). */
  readonly maxOutputTokens?: number;
  /** When present the call streams (SSE) and every content delta is handed over in order. */
  readonly onDelta?: (text: string) => void;
  /** Short label for logs and metrics, e.g. "plan", "answer", "summary". */
  readonly purpose: string;
}

export interface ModelToolCall {
  readonly id: string;
  readonly name: string;
  /** Raw JSON text as the model produced it; parsing and validation belong to the caller. */
  readonly arguments: string;
}

export interface ModelCallResult {
  readonly tier: ModelTier;
  readonly model: string;
  readonly content: string;
  readonly toolCalls: readonly ModelToolCall[];
  readonly finishReason: string | null;
  readonly usage: ModelUsage;
  /** True when the provider reported no usage and the figures are our own token counts. */
  readonly usageEstimated: boolean;
}
