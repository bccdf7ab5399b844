import type { ChatMessage } from '../models/types.js';
import type { TokenCounter } from '../models/tokenCounter.js';
import type { ConversationTurn } from '../planner/planner.js';

export interface ContextInput {
  /** System policy, selected tools and user facts. */
  readonly system: string;
  readonly history: readonly ConversationTurn[];
  readonly request: string;
  /** Working memory of this run (tool results), already delimited as untrusted data. */
  readonly working?: string;
  /** Prompt tokens allowed in total (router.compressionThreshold). */
  readonly threshold: number;
  /** Tokens already committed outside the messages (tool schemas sent with the call). */
  readonly reservedTokens?: number;
  readonly model?: string;
}

export interface AssembledContext {
  readonly messages: ChatMessage[];
  readonly tokens: number;
  readonly compressed: boolean;
}

/** Summarises older turns; absent when no model is reachable (then truncation with a marker is used). */
export type Summarizer = (turns: readonly ConversationTurn[]) => Promise<string>;

export const TRUNCATION_MARKER = '[Earlier conversation shortened]';
/** Latest turns always sent verbatim, however tight the budget. */
const KEEP_VERBATIM = 2;
/** Preferred number of recent turns when they fit. */
const KEEP_RECENT = 6;

function turnMessage(turn: ConversationTurn): ChatMessage {
  if (turn.role === 'summary') return { role: 'system', content: `Summary of the earlier conversation: ${turn.content}` };
  return { role: turn.role, content: turn.content };
}

/**
 * Assembles system policy + tools + summary of older turns + recent turns + request + working
 * memory, and compresses before the threshold is crossed: older turns are summarised (or truncated
 * with a marker), then working memory is clipped, then fewer recent turns are kept, never fewer
 * than the latest two, which stay verbatim.
 */
export class ContextWindowManager {
  constructor(private readonly deps: { tokens: TokenCounter; summarize?: Summarizer }) {}

  private build(input: ContextInput, summary: string | undefined, recent: readonly ConversationTurn[], working: string | undefined): ChatMessage[] {
    return [
      { role: 'system', content: input.system },
      ...(summary ? [{ role: 'system' as const, content: `Summary of the earlier conversation: ${summary}` }] : []),
      ...recent.map(turnMessage),
      { role: 'user', content: input.request },
      ...(working ? [{ role: 'user' as const, content: working }] : []),
    ];
  }

  private count(messages: readonly ChatMessage[], input: ContextInput): number {
    return this.deps.tokens.countMessages(messages, undefined, input.model) + (input.reservedTokens ?? 0);
  }

  private clip(text: string, maxTokens: number, model?: string): string {
    if (maxTokens <= 0) return '';
    if (this.deps.tokens.count(text, model) <= maxTokens) return text;
    // Cut proportionally, then tighten; tokens are ~4 chars but we verify with the real counter.
    let cut = Math.floor((text.length * maxTokens) / Math.max(this.deps.tokens.count(text, model), 1));
    let clipped = `${text.slice(0, cut)}…[truncated]`;
    while (cut > 0 && this.deps.tokens.count(clipped, model) > maxTokens) {
      cut = Math.floor(cut * 0.8);
      clipped = `${text.slice(0, cut)}…[truncated]`;
    }
    return cut > 0 ? clipped : '';
  }

  async assemble(input: ContextInput): Promise<AssembledContext> {
    const full = this.build(input, undefined, input.history, input.working);
    const fullTokens = this.count(full, input);
    if (fullTokens <= input.threshold) return { messages: full, tokens: fullTokens, compressed: false };

    const keep = Math.min(KEEP_RECENT, input.history.length);
    let recent = input.history.slice(input.history.length - keep);
    const older = input.history.slice(0, input.history.length - keep);
    let summary: string | undefined;
    if (older.length > 0) {
      summary = this.deps.summarize ? await this.deps.summarize(older).catch(() => undefined) : undefined;
      summary ??= `${TRUNCATION_MARKER} ${older.length} earlier message${older.length === 1 ? '' : 's'} omitted.`;
    }
    let working = input.working;
    let messages = this.build(input, summary, recent, working);
    let tokens = this.count(messages, input);

    if (tokens > input.threshold && working) {
      const others = this.count(this.build(input, summary, recent, undefined), input);
      working = this.clip(working, input.threshold - others - 8, input.model) || undefined;
      messages = this.build(input, summary, recent, working);
      tokens = this.count(messages, input);
    }
    while (tokens > input.threshold && recent.length > KEEP_VERBATIM) {
      recent = recent.slice(1);
      summary ??= `${TRUNCATION_MARKER} earlier messages omitted.`;
      messages = this.build(input, summary, recent, working);
      tokens = this.count(messages, input);
    }
    if (tokens > input.threshold && summary) {
      const others = this.count(this.build(input, undefined, recent, working), input);
      summary = this.clip(summary, input.threshold - others - 16, input.model) || undefined;
      messages = this.build(input, summary, recent, working);
      tokens = this.count(messages, input);
    }
    return { messages, tokens, compressed: true };
  }
}
