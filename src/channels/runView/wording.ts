import type { ApproverRef } from '../../events/runEvent.js';

/**
 * The sentences a requester reads about their run, written once for every channel. Plain text:
 * each platform escapes it for its own markup. Every sentence states only what already happened
 * ("I have asked" only after a card was delivered).
 */

/** Product names that stay capitalised at the start of an action phrase. */
const PROPER_NOUNS = new Set(['okta', 'jira', 'salesforce', 'servicenow', 'slack', 'teams', 'microsoft', 'vpn', 'mfa', 'sso']);

/**
 * An action phrase placed mid-sentence ("before I reset your Okta password"): the first letter is
 * lower-cased unless the first word is an acronym or a product name.
 */
export function midSentence(phrase: string): string {
  const text = phrase.trim();
  const firstWord = /^[^\s:,.;]+/.exec(text)?.[0] ?? '';
  if (firstWord.length === 0 || PROPER_NOUNS.has(firstWord.toLowerCase())) return text;
  // "VPN", "NET-12", "iPhone": another capital (or a digit) in the first word means it is a name.
  if (/[A-Z0-9]/.test(firstWord.slice(1))) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "Ada", "Ada and Grace", "Ada, Grace and Linus". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Where each approver was (or was not) reached, as the channels report it after sending cards. */
export interface ApprovalDelivery {
  readonly asked: readonly ApproverRef[];
  readonly unreachable: readonly { readonly approver: ApproverRef; readonly where: string }[];
}

export function approvalWaitingNote(approvers: readonly ApproverRef[], action: string, delivery?: ApprovalDelivery): string {
  const names = approvers.map((a) => a.displayName).join(', ') || 'an approver';
  const parts = [`Waiting for approval by ${names} to ${trimStop(midSentence(action))}.`];
  if (delivery) {
    if (delivery.asked.length > 0) parts.push(`I have asked ${listNames(delivery.asked.map((a) => a.displayName))} and will continue here once they decide.`);
    const byPlace = new Map<string, string[]>();
    for (const { approver, where } of delivery.unreachable) byPlace.set(where, [...(byPlace.get(where) ?? []), approver.displayName]);
    for (const [where, names] of byPlace) parts.push(`I could not reach ${listNames(names)} in ${where}.`);
    if (delivery.asked.length === 0) parts.push('Nobody could be asked yet, so your request stays pending until an approver can decide or it expires.');
  }
  return parts.join(' ');
}

export function approvalReminderNote(approvers: readonly ApproverRef[]): string {
  return `No decision yet, so I reminded ${listNames(approvers.map((a) => a.displayName)) || 'the approvers'}.`;
}

export function approvalEscalatedNote(added: readonly ApproverRef[], delivery?: ApprovalDelivery): string {
  const parts = [`No decision yet, so I also asked ${listNames(added.map((a) => a.displayName))}.`];
  if (delivery) {
    const byPlace = new Map<string, string[]>();
    for (const { approver, where } of delivery.unreachable) byPlace.set(where, [...(byPlace.get(where) ?? []), approver.displayName]);
    for (const [where, names] of byPlace) parts.push(`I could not reach ${listNames(names)} in ${where}.`);
  }
  return parts.join(' ');
}

export function approvalDecidedNote(decision: 'approved' | 'denied' | 'expired' | 'cancelled', action: string, by?: string, reason?: string): string {
  const phrase = trimStop(midSentence(action));
  switch (decision) {
    case 'approved':
      return `Approved${by ? ` by ${by}` : ''}: ${phrase}.`;
    case 'denied':
      return `Denied${by ? ` by ${by}` : ''}: ${phrase}. I will not do it.${reason ? ` Reason given: “${reason.trim()}”` : ''}`;
    case 'expired':
      return `The approval request to ${phrase} expired before anyone decided, so I did not do it.`;
    case 'cancelled':
      return `You cancelled the request to ${phrase}.`;
  }
}

function trimStop(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

/**
 * Teams renders markdown: lines joined by a single newline become one paragraph, so every line of
 * the answer is its own paragraph (and "- " / "• " items a real list).
 */
export function teamsParagraphs(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[•·]\s+/, '- '))
    .filter((line) => line.trim().length > 0)
    .join('\n\n');
}
