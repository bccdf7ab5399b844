import type { RunEvent, StepStatus } from '../../events/runEvent.js';
import { clip, INFORMATIVE_MAX, MESSAGE_MAX, plain } from './text.js';

interface ViewStep {
  title: string;
  status: StepStatus;
  detail?: string;
}

/**
 * What one event means for the requester's chat. Streams use `informative` (progress line),
 * `delta` (answer text) and `pause`/`final` (a message that ends the current stream); edited
 * messages just re-render the whole view.
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

/** Everything the requester sees about one run, built from its events in order. */
export class TeamsRunView {
  private readonly steps = new Map<string, ViewStep>();
  private planTitle?: string;
  private readonly notes: string[] = [];
  private answer = '';
  private outcome?: string;
  private lastSeq = -1;

  /** Null for stale or repeated events (seq not newer than the last one applied). */
  apply(event: RunEvent): ViewChange | null {
    if (event.seq <= this.lastSeq) return null;
    this.lastSeq = event.seq;
    switch (event.type) {
      case 'run.started':
        return { informative: 'Working on it…', terminal: false };
      case 'run.status':
        return event.status === 'planning' ? { informative: 'Planning the steps…', terminal: false } : { terminal: false };
      case 'plan.created': {
        this.planTitle = event.plan.summary ?? 'Plan';
        for (const step of event.plan.steps) this.steps.set(step.id, { title: step.title, status: step.status });
        const list = event.plan.steps.map((s, i) => `${i + 1}. ${s.title}`).join('\n');
        return { informative: clip(`${this.planTitle}\n${list}`, INFORMATIVE_MAX), terminal: false };
      }
      case 'step.started':
        this.setStep(event.stepId, event.title, 'running');
        return { informative: clip(`${event.title}…`, INFORMATIVE_MAX), terminal: false };
      case 'step.finished':
        this.setStep(event.stepId, event.title, 'succeeded', event.summary);
        return { informative: clip(`Done: ${event.title}`, INFORMATIVE_MAX), terminal: false };
      case 'step.failed':
        this.setStep(event.stepId, event.title, 'failed', event.error.message);
        return { informative: clip(`Could not finish: ${event.title}`, INFORMATIVE_MAX), terminal: false };
      case 'approval.requested': {
        this.setStep(event.stepId, undefined, 'awaiting_approval');
        const names = event.approvers.map((a) => a.displayName).join(', ') || 'an approver';
        const note = `This needs approval from ${names} before I ${event.action}. I have asked them and will continue here once they decide.`;
        this.notes.push(note);
        return { pause: note, terminal: false };
      }
      case 'approval.decided': {
        const by = event.decidedBy ? ` by ${event.decidedBy.displayName}` : '';
        const note = event.decision === 'expired' ? `The approval request to ${event.action} expired.` : `${event.decision === 'approved' ? 'Approved' : 'Denied'}${by}: ${event.action}.`;
        this.notes.push(note);
        return { informative: clip(note, INFORMATIVE_MAX), terminal: false };
      }
      case 'account.link_required': {
        const note = `Please [connect your ${plain(event.connectorName)} account](${event.url}) so I can act as you. I will continue once it is connected.`;
        this.notes.push(note);
        return { pause: note, terminal: false };
      }
      case 'account.linked':
        return { informative: 'Account connected. Continuing…', terminal: false };
      case 'message.delta':
        this.answer += event.text;
        return { delta: event.text, terminal: false };
      case 'run.completed':
        this.outcome = event.text || this.answer || 'Done.';
        return { final: clip(this.outcome, MESSAGE_MAX), terminal: true };
      case 'run.failed':
        this.outcome = `Sorry, I could not finish this. ${event.message}`;
        return { final: clip(this.outcome, MESSAGE_MAX), terminal: true };
      default:
        return null;
    }
  }

  /** The whole view as one Teams message (group chats and channels, where it is edited in place). */
  render(): string {
    const parts: string[] = [];
    if (this.planTitle) parts.push(`**${plain(this.planTitle)}**`);
    for (const step of this.steps.values()) {
      parts.push(`${ICON[step.status]} ${plain(step.title)}${step.detail ? ` — ${plain(clip(step.detail, 300))}` : ''}`);
    }
    parts.push(...this.notes.map((note) => `_${note}_`));
    const body = this.outcome ?? this.answer;
    if (body) parts.push(body);
    if (parts.length === 0) parts.push('Working on it…');
    return clip(parts.join('\n\n'), MESSAGE_MAX);
  }

  private setStep(id: string, title: string | undefined, status: StepStatus, detail?: string): void {
    const step = this.steps.get(id) ?? { title: title ?? id, status };
    if (title) step.title = title;
    step.status = status;
    if (detail !== undefined) step.detail = detail;
    this.steps.set(id, step);
  }
}
