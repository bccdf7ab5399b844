import type { ChatMessage } from '../models/types.js';
import type { TokenCounter } from '../models/tokenCounter.js';
import type { ConversationTurn } from '../planner/planner.js';
import { PROVENANCE_LABEL, fence, isTrusted } from './provenance.js';

export interface ContextInput {
  /** System policy and the selected tools: Switchboard's own words only. */
  readonly system: string;
  /** Stored user facts: data written outside this conversation, fenced, never in the system role. */
  readonly facts?: Readonly<Record<string, string>>;
  /** Each turn carries its provenance; only the requester's own turns are sent as plain user messages. */
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
  /**
   * The messages sent carry text that is not the requester's own words (facts, working memory, an
   * untrusted turn or a summary of one): whatever is planned from them must be approved.
   */
  readonly untrusted: boolean;
}

/** Summarises older turns; absent when no model is reachable (then truncation with a marker is used). */
export type Summarizer = (turns: readonly ConversationTurn[]) => Promise<string>;

export const TRUNCATION_MARKER = '[Earlier conversation shortened]';
/** Latest turns always sent verbatim, however tight the budget. */
const KEEP_VERBATIM = 2;
/** Preferred number of recent turns when they fit. */
const KEEP_RECENT = 6;

interface Summary {
  readonly text: string;
  /** Written from (or standing in for) turns that include untrusted text. */
  readonly untrusted: boolean;
}

function summaryMessage(summary: Summary): ChatMessage {
  const source = summary.untrusted
    ? 'a summary of earlier messages that include data from tools or other people'
    : 'a summary of earlier messages between the employee and Switchboard';
  return { role: 'user', content: fence('conversation_summary', source, summary.text) };
}

/** Requester turns and Switchboard's own answers go as they are; anything else is fenced data. */
function turnMessage(turn: ConversationTurn): ChatMessage {
  if (turn.role === 'summary') return summaryMessage({ text: turn.content, untrusted: !isTrusted(turn.provenance) });
  if (turn.role === 'user' && turn.provenance === 'requester') return { role: 'user', content: turn.content };
  if (turn.role === 'assistant' && turn.provenance === 'assistant') return { role: 'assistant', content: turn.content };
  return { role: 'user', content: fence('thread_data', PROVENANCE_LABEL[turn.provenance], turn.content) };
}

export function factsMessage(facts: Readonly<Record<string, string>> | undefined): ChatMessage | undefined {
  const lines = Object.entries(facts ?? {}).map(([k, v]) => `- ${k}: ${v}`);
  return lines.length > 0 ? { role: 'user', content: fence('stored_facts', PROVENANCE_LABEL.stored_fact, lines.join('\n')) } : undefined;
}

/**
 * Assembles system policy + tools + summary of older turns + recent turns + request + working
 * memory, and compresses before the threshold is crossed: older turns are summarised (or truncated
 * with a marker), then working memory is clipped, then fewer recent turns are kept, never fewer
 * than the latest two, which stay verbatim.
 */
export class ContextWindowManager {
  constructor(private readonly deps: { tokens: TokenCounter; summarize?: Summarizer }) {}

  private build(input: ContextInput, summary: Summary | undefined, recent: readonly ConversationTurn[], working: string | undefined): ChatMessage[] {
    const facts = factsMessage(input.facts);
    return [
      { role: 'system', content: input.system },
      ...(facts ? [facts] : []),
      ...(summary ? [summaryMessage(summary)] : []),
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

  /** What made it into the prompt decides the taint, not what the thread holds. */
  private untrusted(input: ContextInput, summary: Summary | undefined, recent: readonly ConversationTurn[], working: string | undefined): boolean {
    return factsMessage(input.facts) !== undefined || working !== undefined || summary?.untrusted === true || recent.some((t) => !isTrusted(t.provenance));
  }

  async assemble(input: ContextInput): Promise<AssembledContext> {
    const full = this.build(input, undefined, input.history, input.working);
    const fullTokens = this.count(full, input);
    if (fullTokens <= input.threshold) return { messages: full, tokens: fullTokens, compressed: false, untrusted: this.untrusted(input, undefined, input.history, input.working) };

    const keep = Math.min(KEEP_RECENT, input.history.length);
    let recent = input.history.slice(input.history.length - keep);
    const older = input.history.slice(0, input.history.length - keep);
    let summary: Summary | undefined;
    const olderUntrusted = older.some((t) => !isTrusted(t.provenance));
    if (older.length > 0) {
      const written = this.deps.summarize ? await this.deps.summarize(older).catch(() => undefined) : undefined;
      // A model summary of untrusted turns is as untrusted as they are; a marker carries nothing of them.
      summary = written
        ? { text: written, untrusted: olderUntrusted }
        : { text: `${TRUNCATION_MARKER} ${older.length} earlier message${older.length === 1 ? '' : 's'} omitted.`, untrusted: false };
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
      summary ??= { text: `${TRUNCATION_MARKER} earlier messages omitted.`, untrusted: false };
      messages = this.build(input, summary, recent, working);
      tokens = this.count(messages, input);
    }
    if (tokens > input.threshold && summary) {
      const others = this.count(this.build(input, undefined, recent, working), input);
      const clipped = this.clip(summary.text, input.threshold - others - 48, input.model);
      summary = clipped ? { ...summary, text: clipped } : undefined;
      messages = this.build(input, summary, recent, working);
      tokens = this.count(messages, input);
    }
    return { messages, tokens, compressed: true, untrusted: this.untrusted(input, summary, recent, working) };
  }
}
