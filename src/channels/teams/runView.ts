import type { RunEvent, StepStatus } from '../../events/runEvent.js';
import type { RunViewState, ViewNote, ViewUpdate } from '../runView/runViewState.js';
import { teamsParagraphs } from '../runView/wording.js';
import { clip, inertMessage, INFORMATIVE_MAX, MESSAGE_MAX, plain } from './text.js';

/**
 * What one update means for a Teams stream: `informative` (progress line), `delta` (answer text)
 * and `pause`/`final` (a message that ends the current stream); edited messages re-render the view.
 */
export interface ViewChange {
  readonly informative?: string;
  readonly delta?: string;
  /** The run now waits for a person (approver, account link): end the stream with this text. */
  readonly pause?: string;
  /** The run is over: this is the whole answer. */
  readonly final?: string;
  readonly terminal: boolean;
}

const ICON: Record<StepStatus, string> = {
  pending: '⚪',
  running: '⏳',
  awaiting_approval: '✋',
  awaiting_link: '🔗',
  succeeded: '✅',
  failed: '❌',
  skipped: '➖',
  unverified: '⚠️',
  denied: '⛔',
};

/** A note as Teams markdown: foreign text escaped; the link prompt keeps its link unless the conversation is shared. */
function noteText(note: ViewNote, privateLinks = false): string {
  if (note.kind === 'link_required' && note.link && privateLinks) {
    return `I need access to your ${plain(note.link.connectorName)} account to do this as you; the link to connect it goes to you alone, in a private chat. I will continue here once it is connected.`;
  }
  if (note.kind === 'link_required' && note.link) {
    return `Please [connect your ${plain(note.link.connectorName)} account](${note.link.url}) so I can act as you. I will continue once it is connected.`;
  }
  return plain(note.text);
}

function outcomeText(outcome: NonNullable<RunViewState['outcome']>): string {
  return outcome.kind === 'failed' ? `Sorry, I could not finish this. ${inertMessage(outcome.text)}` : teamsParagraphs(inertMessage(outcome.text));
}

/**
 * Teams' rendering of the platform-neutral run view (src/channels/runView): stream changes in
 * personal chats, the whole view as one edited message in group chats and channels.
 */
export class TeamsRunView {
  /** privateLinks: a shared conversation, where the link prompt goes to the requester's 1:1 chat instead (issue 11). */
  constructor(private readonly state: RunViewState, private readonly options: { privateLinks?: boolean } = {}) {}

  change(event: RunEvent, update: ViewUpdate): ViewChange {
    const { state } = this;
    if (update.final) return { final: clip(outcomeText(update.final), MESSAGE_MAX), terminal: true };
    if (update.note?.kind === 'approval_waiting' || update.note?.kind === 'link_required') return { pause: noteText(update.note, this.options.privateLinks), terminal: false };
    if (update.note) return { informative: clip(update.note.kind === 'link_done' ? 'Account connected. Continuing…' : update.note.text, INFORMATIVE_MAX), terminal: false };
    // Model text is untrusted like data (issue 11): no link or markup in a streamed piece survives.
    if (update.delta) return { delta: inertMessage(update.delta), terminal: false };
    if (update.plan) {
      const list = [...state.steps.values()].map((s, i) => `${i + 1}. ${s.title}`).join('\n');
      return { informative: clip(`${state.planTitle ?? 'Plan'}\n${list}`, INFORMATIVE_MAX), terminal: false };
    }
    switch (event.type) {
      case 'run.started':
        return { informative: 'Working on it…', terminal: false };
      case 'run.status':
        return update.status === 'planning' ? { informative: 'Planning the steps…', terminal: false } : { terminal: false };
      case 'step.started':
        return { informative: clip(`${event.title}…`, INFORMATIVE_MAX), terminal: false };
      case 'step.finished':
        return { informative: clip(`Done: ${event.title}`, INFORMATIVE_MAX), terminal: false };
      case 'step.failed':
        return { informative: clip(`Could not finish: ${event.title}`, INFORMATIVE_MAX), terminal: false };
      default:
        return { terminal: false };
    }
  }

  /** The whole view as one Teams message (group chats and channels, where it is edited in place). */
  render(): string {
    const { state } = this;
    const parts: string[] = [];
    if (state.planTitle) parts.push(`**${plain(state.planTitle)}**`);
    for (const step of state.steps.values()) {
      const detail = state.detailOf(step);
      parts.push(`${ICON[step.status]} ${plain(step.title)}${detail ? ` — ${plain(clip(detail, 300))}` : ''}`);
    }
    parts.push(...state.currentNotes().map((note) => `_${noteText(note, this.options.privateLinks)}_`));
    const body = state.outcome ? outcomeText(state.outcome) : inertMessage(state.answer);
    if (body) parts.push(body);
    if (parts.length === 0) parts.push('Working on it…');
    return clip(parts.join('\n\n'), MESSAGE_MAX);
  }
}
