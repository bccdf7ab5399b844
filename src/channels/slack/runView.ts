import type { AnyChunk, KnownBlock, TaskUpdateChunk } from '@slack/types';
import type { StepStatus } from '../../events/runEvent.js';
import type { RunViewState, StatusKey, ViewNote, ViewStep, ViewUpdate } from '../runView/runViewState.js';
import { escapeMrkdwn, SLACK_LIMITS, splitForSlack } from './mrkdwn.js';

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

const STATUS_LINE: Record<Exclude<StatusKey, 'step'>, string> = {
  working: 'is working on it…',
  planning: 'is planning the steps…',
  executing: 'is working on it…',
  waiting_approval: 'is waiting for an approver…',
  waiting_link: 'is waiting for you to connect an account…',
  responding: 'is writing the answer…',
};

const short = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function noteIcon(note: ViewNote): string {
  switch (note.kind) {
    case 'approval_waiting':
      return ':raised_hand:';
    case 'approval_update':
      return ':bell:';
    case 'approval_decided':
      return note.decision === 'approved' ? ':white_check_mark:' : note.decision === 'expired' ? ':hourglass:' : ':no_entry:';
    case 'link_required':
    case 'link_done':
      return ':link:';
    case 'failed':
      return ':warning:';
  }
}

/**
 * Slack's rendering of the platform-neutral run view (src/channels/runView): stream chunks per
 * update, or the whole view as one editable message. All foreign text is escaped here.
 */
export class RunView {
  constructor(private readonly state: RunViewState) {}

  /** The stream chunks and status line for one applied update. */
  change(update: ViewUpdate, answerBefore: string): ViewChange {
    const chunks: AnyChunk[] = [];
    if (update.plan) chunks.push({ type: 'plan_update', title: short(escapeMrkdwn(this.state.planTitle ?? 'Plan'), 200) });
    for (const step of update.steps) chunks.push(this.task(step));
    if (update.note) chunks.push(noteChunk(`${noteIcon(update.note)} ${escapeMrkdwn(update.note.text)}`));
    if (update.delta) chunks.push({ type: 'markdown_text', text: escapeMrkdwn(update.delta) });
    if (update.final?.kind === 'completed') {
      const text = update.final.text;
      const rest = answerBefore === '' ? text : text.startsWith(answerBefore) ? text.slice(answerBefore.length) : '';
      if (rest) chunks.push({ type: 'markdown_text', text: (answerBefore === '' && this.state.notes.length > 0 ? '\n\n' : '') + escapeMrkdwn(rest) });
      if (update.final.reducedMode) chunks.push(noteChunk('_Some systems were slow, so this answer was prepared in reduced mode._'));
    } else if (update.final?.kind === 'failed') {
      chunks.push(noteChunk(`:warning: ${escapeMrkdwn(update.final.text)}`));
    }
    const status = update.status === 'step' ? `is working on: ${short(update.statusStep ?? '', 80)}` : update.status ? STATUS_LINE[update.status] : undefined;
    return { chunks, ...(status ? { status } : {}), terminal: update.terminal };
  }

  /** The whole view as one editable message: checklist, current notes and (when done) the answer's first part. */
  render(): { text: string; blocks: KnownBlock[]; overflow: string[] } {
    const { state } = this;
    const blocks: KnownBlock[] = [];
    if (state.steps.size > 0) {
      const lines = [...state.steps.values()].map((step) => {
        const detail = state.detailOf(step);
        return `${STEP_ICON[step.status]} ${escapeMrkdwn(step.title)}${detail ? ` — ${escapeMrkdwn(short(detail))}` : ''}`;
      });
      const checklist = `*${escapeMrkdwn(state.planTitle ?? 'Plan')}*\n${lines.join('\n')}`;
      for (const piece of splitForSlack(checklist, SLACK_LIMITS.sectionText)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
    }
    const notes = state.currentNotes(8).map((note) => `${noteIcon(note)} ${escapeMrkdwn(note.text)}`);
    if (state.outcome?.kind === 'failed') notes.push(`:warning: ${escapeMrkdwn(state.outcome.text)}`);
    if (state.outcome?.reducedMode) notes.push('_Some systems were slow, so this answer was prepared in reduced mode._');
    for (const note of notes) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: note }] });
    const answer = state.outcome ? (state.outcome.kind === 'failed' ? '' : state.outcome.text) : state.answer;
    const answerPieces = answer ? splitForSlack(escapeMrkdwn(answer), SLACK_LIMITS.sectionText) : [];
    const room = SLACK_LIMITS.blocks - blocks.length - 1;
    const here = answerPieces.slice(0, Math.min(room, 20));
    for (const piece of here) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
    if (blocks.length === 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: ':hourglass_flowing_sand: Working on it…' }] });
    const text = short(here[0] ?? (state.outcome?.kind === 'failed' ? escapeMrkdwn(state.outcome.text) : 'Working on your request…'), SLACK_LIMITS.sectionText);
    return { text, blocks, overflow: answerPieces.slice(here.length) };
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
}

function noteChunk(text: string): AnyChunk {
  return { type: 'markdown_text', text: `\n${text}\n` };
}
