import type { AnyChunk, KnownBlock, TaskUpdateChunk } from '@slack/types';
import type { RunEvent, StepStatus } from '../../events/runEvent.js';
import { escapeMrkdwn, SLACK_LIMITS, splitForSlack } from './mrkdwn.js';

interface ViewStep {
  readonly id: string;
  title: string;
  status: StepStatus;
  detail?: string;
}

/** What one event changes: chunks for a stream, the status line, and whether the run is over. */
export interface ViewChange {
  readonly chunks: AnyChunk[];
  readonly status?: string;
  readonly terminal: boolean;
}

const TASK_STATUS: Record<StepStatus, TaskUpdateChunk['status']> = {
  pending: 'pending',
  running: 'in_progress',
  awaiting_approval: 'in_progress',
  awaiting_link: 'in_progress',
  succeeded: 'complete',
  failed: 'error',
  skipped: 'complete',
  unverified: 'error',
  denied: 'error',
};

const STEP_ICON: Record<StepStatus, string> = {
  pending: ':white_circle:',
  running: ':hourglass_flowing_sand:',
  awaiting_approval: ':raised_hand:',
  awaiting_link: ':link:',
  succeeded: ':white_check_mark:',
  failed: ':x:',
  skipped: ':heavy_minus_sign:',
  unverified: ':warning:',
  denied: ':no_entry:',
};

const STATUS_LINE: Partial<Record<string, string>> = {
  queued: 'is getting started…',
  planning: 'is planning the steps…',
  executing: 'is working on it…',
  awaiting_approval: 'is waiting for an approver…',
  awaiting_link: 'is waiting for you to connect an account…',
  responding: 'is writing the answer…',
};

const short = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Everything the requester's thread shows about one run, built from its RunEvents. Streams get the
 * per-event deltas; edited messages re-render the whole view. All foreign text is escaped here.
 */
export class RunView {
  private readonly steps = new Map<string, ViewStep>();
  private planTitle?: string;
  private readonly notes: string[] = [];
  private rawAnswer = '';
  private outcome?: { kind: 'completed' | 'failed'; text: string };
  private lastSeq = -1;

  /** Null when the event is stale or repeated (seq not newer than the last applied one). */
  apply(event: RunEvent): ViewChange | null {
    if (event.seq <= this.lastSeq) return null;
    this.lastSeq = event.seq;
    switch (event.type) {
      case 'run.started':
        return { chunks: [], status: 'is working on it…', terminal: false };
      case 'run.status': {
        const status = STATUS_LINE[event.status];
        return { chunks: [], ...(status ? { status } : {}), terminal: false };
      }
      case 'plan.created': {
        this.planTitle = event.plan.summary ?? 'Plan';
        for (const step of event.plan.steps) this.steps.set(step.id, { id: step.id, title: step.title, status: step.status });
        return {
          chunks: [{ type: 'plan_update', title: short(escapeMrkdwn(this.planTitle), 200) }, ...[...this.steps.values()].map((step) => this.task(step))],
          terminal: false,
        };
      }
      case 'step.started':
        return this.stepChange(event.stepId, event.title, 'running', undefined, `is working on: ${short(event.title, 80)}`);
      case 'step.finished':
        return this.stepChange(event.stepId, event.title, 'succeeded', event.summary);
      case 'step.failed':
        return this.stepChange(event.stepId, event.title, 'failed', event.error.message);
      case 'approval.requested': {
        const names = event.approvers.map((approver) => approver.displayName).join(', ');
        const note = `Waiting for approval by ${names} to ${event.action}.`;
        const change = this.stepChange(event.stepId, this.steps.get(event.stepId)?.title ?? event.action, 'awaiting_approval', note, 'is waiting for an approver…');
        return { ...change, chunks: [...change.chunks, this.note(`:raised_hand: ${escapeMrkdwn(note)}`)] };
      }
      case 'approval.decided': {
        const by = event.decidedBy ? ` by ${escapeMrkdwn(event.decidedBy.displayName)}` : '';
        const action = escapeMrkdwn(event.action);
        const text =
          event.decision === 'approved' ? `:white_check_mark: Approved${by}: ${action}.`
          : event.decision === 'denied' ? `:no_entry: Denied${by}: ${action}. I will not do it.`
          : `:hourglass: The approval request to ${action} expired.`;
        return { chunks: [this.note(text)], terminal: false };
      }
      case 'account.link_required':
        return { chunks: [this.note(`:link: Please connect your ${escapeMrkdwn(event.connectorName)} account (button below) so I can act as you.`)], status: 'is waiting for you to connect an account…', terminal: false };
      case 'account.linked':
        return { chunks: [this.note(':link: Account connected, continuing.')], terminal: false };
      case 'message.delta':
        this.rawAnswer += event.text;
        return { chunks: [{ type: 'markdown_text', text: escapeMrkdwn(event.text) }], terminal: false };
      case 'run.completed': {
        const rest = this.rawAnswer === '' ? event.text : event.text.startsWith(this.rawAnswer) ? event.text.slice(this.rawAnswer.length) : '';
        this.outcome = { kind: 'completed', text: this.rawAnswer === '' || event.text.startsWith(this.rawAnswer) ? event.text : this.rawAnswer };
        const chunks: AnyChunk[] = rest ? [{ type: 'markdown_text', text: (this.rawAnswer === '' && this.notes.length > 0 ? '\n\n' : '') + escapeMrkdwn(rest) }] : [];
        if (event.reducedMode) chunks.push(this.note('_Some systems were slow, so this answer was prepared in reduced mode._'));
        return { chunks, terminal: true };
      }
      case 'run.failed':
        this.outcome = { kind: 'failed', text: event.message };
        return { chunks: [this.note(`:warning: ${escapeMrkdwn(event.message)}`)], terminal: true };
    }
  }

  /** The whole view as one editable message: checklist, notes and (when done) the answer's first part. */
  render(): { text: string; blocks: KnownBlock[]; overflow: string[] } {
    const blocks: KnownBlock[] = [];
    if (this.steps.size > 0) {
      const lines = [...this.steps.values()].map((step) => `${STEP_ICON[step.status]} ${escapeMrkdwn(step.title)}${step.detail ? ` — ${escapeMrkdwn(short(step.detail))}` : ''}`);
      const checklist = `*${escapeMrkdwn(this.planTitle ?? 'Plan')}*\n${lines.join('\n')}`;
      for (const piece of splitForSlack(checklist, SLACK_LIMITS.sectionText)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
    }
    for (const note of this.notes.slice(-8)) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: note }] });
    const answer = this.outcome ? (this.outcome.kind === 'failed' ? '' : this.outcome.text) : this.rawAnswer;
    const answerPieces = answer ? splitForSlack(escapeMrkdwn(answer), SLACK_LIMITS.sectionText) : [];
    const room = SLACK_LIMITS.blocks - blocks.length - 1;
    const here = answerPieces.slice(0, Math.min(room, 20));
    for (const piece of here) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
    if (blocks.length === 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: ':hourglass_flowing_sand: Working on it…' }] });
    const text = short(here[0] ?? (this.outcome?.kind === 'failed' ? escapeMrkdwn(this.outcome.text) : 'Working on your request…'), SLACK_LIMITS.sectionText);
    return { text, blocks, overflow: answerPieces.slice(here.length) };
  }

  private stepChange(stepId: string, title: string, status: StepStatus, detail: string | undefined, statusLine?: string): ViewChange {
    const step = this.steps.get(stepId) ?? { id: stepId, title, status };
    step.title = title;
    step.status = status;
    if (detail !== undefined) step.detail = detail;
    this.steps.set(stepId, step);
    return { chunks: [this.task(step)], ...(statusLine ? { status: statusLine } : {}), terminal: false };
  }

  private task(step: ViewStep): TaskUpdateChunk {
    return {
      type: 'task_update',
      id: step.id,
      title: short(escapeMrkdwn(step.title), 200),
      status: TASK_STATUS[step.status],
      ...(step.detail ? { output: short(escapeMrkdwn(step.detail), 1000) } : {}),
    };
  }

  private note(text: string): AnyChunk {
    this.notes.push(text);
    return { type: 'markdown_text', text: `\n${text}\n` };
  }
}
