import type { RunEvent, StepStatus } from '../../events/runEvent.js';
import { approvalDecidedNote, approvalEscalatedNote, approvalReminderNote, approvalWaitingNote, midSentence, type ApprovalDelivery } from './wording.js';

export interface ViewStep {
  readonly id: string;
  title: string;
  status: StepStatus;
  detail?: string;
}

export type NoteKind = 'approval_waiting' | 'approval_update' | 'approval_decided' | 'link_required' | 'link_done' | 'failed';

export interface ViewNote {
  readonly kind: NoteKind;
  /** Plain text; platforms escape it. */
  readonly text: string;
  readonly approvalId?: string;
  readonly decision?: 'approved' | 'denied' | 'expired' | 'cancelled';
  /** A later event made this note untrue (a decided approval, the end of the run): edited views leave it out. */
  settled?: boolean;
  readonly link?: { readonly connectorName: string; readonly url: string };
}

/** What the requester's status line says (platforms word and decorate it). */
export type StatusKey = 'working' | 'planning' | 'executing' | 'step' | 'waiting_approval' | 'waiting_link' | 'responding';

/** What one event changed, for surfaces that stream (edited views just re-render the whole state). */
export interface ViewUpdate {
  readonly status?: StatusKey;
  /** The step the status line names ('step'). */
  readonly statusStep?: string;
  readonly plan?: boolean;
  readonly steps: readonly ViewStep[];
  readonly note?: ViewNote;
  readonly delta?: string;
  /** The run now waits for a person: a stream ends here with the note. */
  readonly pause?: boolean;
  readonly final?: { readonly kind: 'completed' | 'failed'; readonly text: string; readonly reducedMode?: boolean };
  readonly terminal: boolean;
}

const RUN_STATUS: Partial<Record<string, StatusKey>> = {
  queued: 'working',
  planning: 'planning',
  executing: 'executing',
  awaiting_approval: 'waiting_approval',
  awaiting_link: 'waiting_link',
  responding: 'responding',
};

/**
 * The platform-neutral view of one run, built from its stored events in seq order: the checklist,
 * the notes the requester reads, the streamed answer and the outcome. Slack, Teams and web render it;
 * none of them keeps run state of its own.
 */
export class RunViewState {
  readonly steps = new Map<string, ViewStep>();
  planTitle?: string;
  readonly notes: ViewNote[] = [];
  answer = '';
  outcome?: { readonly kind: 'completed' | 'failed'; readonly text: string; readonly reducedMode?: boolean };
  lastSeq = 0;

  get finished(): boolean {
    return this.outcome !== undefined;
  }

  /**
   * Applies the next event. `delivery` is given for approval.requested once the channel has sent
   * the cards, so the note states who was actually asked.
   */
  apply(event: RunEvent, delivery?: ApprovalDelivery): ViewUpdate {
    this.lastSeq = Math.max(this.lastSeq, event.seq);
    switch (event.type) {
      case 'run.started':
        return { status: 'working', steps: [], terminal: false };
      case 'run.status': {
        const status = RUN_STATUS[event.status];
        return { ...(status ? { status } : {}), steps: [], terminal: false };
      }
      case 'plan.created':
        this.planTitle = event.plan.summary ?? 'Plan';
        for (const step of event.plan.steps) this.steps.set(step.id, { id: step.id, title: step.title, status: step.status });
        return { plan: true, steps: [...this.steps.values()], terminal: false };
      case 'step.started':
        return { status: 'step', statusStep: event.title, steps: [this.setStep(event.stepId, event.title, 'running')], terminal: false };
      case 'step.finished':
        return { steps: [this.setStep(event.stepId, event.title, 'succeeded', event.summary)], terminal: false };
      case 'step.failed':
        return { steps: [this.setStep(event.stepId, event.title, 'failed', event.error.message)], terminal: false };
      case 'approval.requested': {
        const step = this.setStep(event.stepId, this.steps.get(event.stepId)?.title ?? event.action, 'awaiting_approval', `Waiting for approval to ${midSentence(event.action)}.`);
        const note = this.addNote({ kind: 'approval_waiting', approvalId: event.approvalId, text: approvalWaitingNote(event.approvers, event.action, delivery) });
        return { status: 'waiting_approval', steps: [step], note, pause: true, terminal: false };
      }
      case 'approval.reminder':
        return { steps: [], note: this.addNote({ kind: 'approval_update', approvalId: event.approvalId, text: approvalReminderNote(event.approvers) }), terminal: false };
      case 'approval.escalated':
        return { steps: [], note: this.addNote({ kind: 'approval_update', approvalId: event.approvalId, text: approvalEscalatedNote(event.added, delivery) }), terminal: false };
      case 'approval.decided': {
        for (const note of this.notes) if ((note.kind === 'approval_waiting' || note.kind === 'approval_update') && note.approvalId === event.approvalId) note.settled = true;
        const reason = (event as { reason?: unknown }).reason;
        const text = approvalDecidedNote(event.decision, event.action, event.decidedBy?.displayName, typeof reason === 'string' && reason.trim() ? reason : undefined);
        return { steps: [], note: this.addNote({ kind: 'approval_decided', approvalId: event.approvalId, decision: event.decision, text }), terminal: false };
      }
      case 'account.link_required': {
        const text = `Please connect your ${event.connectorName} account so I can act as you. I will continue once it is connected.`;
        const note = this.addNote({ kind: 'link_required', text, link: { connectorName: event.connectorName, url: event.url } });
        return { status: 'waiting_link', steps: [], note, pause: true, terminal: false };
      }
      case 'account.linked':
        for (const note of this.notes) if (note.kind === 'link_required') note.settled = true;
        return { steps: [], note: this.addNote({ kind: 'link_done', text: 'Account connected, continuing.' }), terminal: false };
      case 'message.delta':
        this.answer += event.text;
        return { delta: event.text, steps: [], terminal: false };
      case 'run.completed': {
        // A streamed answer is kept when the final text does not extend it (nothing said twice).
        const text = this.answer === '' || event.text.startsWith(this.answer) ? event.text : this.answer;
        this.outcome = { kind: 'completed', text: text || 'Done.', ...(event.reducedMode ? { reducedMode: true } : {}) };
        this.settleWaiting();
        return { final: this.outcome, steps: [], terminal: true };
      }
      case 'run.failed':
        // A cancel is the requester's own choice, not a failure to apologise for.
        this.outcome = event.code === 'cancelled' ? { kind: 'completed', text: event.message } : { kind: 'failed', text: event.message };
        this.settleWaiting();
        return { final: this.outcome, steps: [], terminal: true };
      default:
        return { steps: [], terminal: false };
    }
  }

  /** Notes an edited view shows now: nothing that a later event made untrue. */
  currentNotes(max = 8): ViewNote[] {
    return this.notes.filter((note) => !note.settled).slice(-max);
  }

  /** A step's detail, unless the final answer already says it (the result is stated once). */
  detailOf(step: ViewStep): string | undefined {
    if (!step.detail) return undefined;
    if (this.outcome?.kind === 'completed' && this.outcome.text.includes(step.detail.trim())) return undefined;
    if (step.status === 'awaiting_approval' && this.finished) return undefined;
    return step.detail;
  }

  private settleWaiting(): void {
    for (const note of this.notes) if (note.kind === 'approval_waiting' || note.kind === 'approval_update' || note.kind === 'link_required') note.settled = true;
  }

  private addNote(note: ViewNote): ViewNote {
    this.notes.push(note);
    return note;
  }

  private setStep(id: string, title: string, status: StepStatus, detail?: string): ViewStep {
    const step = this.steps.get(id) ?? { id, title, status };
    step.title = title;
    step.status = status;
    if (detail !== undefined) step.detail = detail;
    this.steps.set(id, step);
    return step;
  }
}
