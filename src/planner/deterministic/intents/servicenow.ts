import { capitalize, cleanPhrase, incidentNumber, quoted } from '../text.js';
import type { Intent } from '../types.js';

const PRIORITY = /\b(?:p|priority\s*|prio\s*|sev\s*)([1-5])\b/i;
/**
 * ServiceNow derives priority from impact × urgency (its default lookup: 1/1 → 1 Critical, 1/2 → 2
 * High, 2/2 → 3 Moderate, 2/3 → 4 Low, 3/3 → 5 Planning), so "P2" is asked for as the pair that
 * yields priority 2, not as urgency 2.
 */
const PRIORITY_PAIRS: Record<string, { urgency: number; impact: number }> = {
  '1': { urgency: 1, impact: 1 },
  '2': { urgency: 2, impact: 1 },
  '3': { urgency: 2, impact: 2 },
  '4': { urgency: 3, impact: 2 },
  '5': { urgency: 3, impact: 3 },
};

function urgencyImpact(text: string): { urgency: number; impact: number } | undefined {
  const p = PRIORITY.exec(text)?.[1];
  return p ? PRIORITY_PAIRS[p] : undefined;
}

const CREATE = /\b(open|create|raise|log|file|submit|report|start|make)\b(?:\s+(?:me|us))?\s+(?:a|an|new|another)\b[^.]*?\b(incident|ticket)\b|\b(new|raise an?)\s+(?:p[1-5]\s+)?(incident|ticket)\b/i;

/** "The VPN is broken, open a ticket": the problem stated before the request. */
function problemFirst(text: string): string | undefined {
  return /^(.{6,}?)\s*(?:[.,;:!?]|\s-)\s*(?:(?:so|and)\s+)?(?:(?:can|could|would)\s+(?:you|u)\s+)?(?:please\s+)?(?:open|create|raise|log|file|submit|report|make)\b[^.]*\b(?:incident|ticket)\b/i.exec(text)?.[1];
}

/** The incident's subject: a quoted span, else the text after about/for/regarding/re/: */
function incidentSubject(text: string): string | undefined {
  const q = quoted(text);
  if (q) return q;
  const match = /\b(?:incident|ticket)\b(?:\s+(?:in\s+servicenow|on\s+servicenow))?\s*(?:about|for|regarding|re|on|because|that|saying|:|-)\s*(?:of\s+)?(.+)$/i.exec(text)
    ?? /\b(?:about|regarding|re:)\s+(.+)$/i.exec(text);
  const stated = cleanPhrase(match?.[1]);
  const subject = cleanPhrase((stated && !/^(me|it|this|that|them)$/i.test(stated) ? match?.[1] : problemFirst(text))?.replace(/\b(?:with|at)\s+(?:p|priority\s*)[1-5]\b.*$/i, '').replace(/\s+(?:as|at)\s+(?:a\s+)?p[1-5]\b.*$/i, '').replace(/[,;]\s*(?:p|priority\s*|prio\s*|sev\s*)[1-5]\b.*$/i, ''));
  return subject && !/^(me|it|this|that)$/i.test(subject) ? subject : undefined;
}

function commentText(text: string): string | undefined {
  const q = quoted(text);
  if (q) return q;
  const match = /\b(?:saying|that says|which says|with the text|with text|stating|reading)\s+(.+)$/i.exec(text)
    ?? /\b(?:comment|note)\b(?:\s+(?:on|to|in)\s+(?:INC\d{7}|[A-Z][A-Z0-9]{1,9}-\d+))?\s+that\s+(.+)$/i.exec(text)
    ?? /\btell\s+(?:INC\d{7}|[A-Z][A-Z0-9]{1,9}-\d+)\s+that\s+(.+)$/i.exec(text)
    ?? /\bcomment\s*[-:]\s*(.+)$/i.exec(text)
    ?? /\b(?:INC\d{7}|[A-Z][A-Z0-9]{1,9}-\d+)\s*(?::|\s-)\s*(.+)$/i.exec(text)
    ?? /\bcomment\s*:\s*(.+)$/i.exec(text);
  return cleanPhrase(match?.[1]);
}

export const COMMENT_DETECT = /\btell\s+(?:INC\d{7}|[A-Z][A-Z0-9]{1,9}-\d+)\s+that\b|\bwith\s+a\s+(?:comment|note)\b|\b(comment|note)\b.*\b(on|to|in)\b|\b(add|post|leave|put|write)\b.*\b(comment|note)\b|\bcomment\s+on\b/i;
export { commentText };

export const serviceNowIntents: readonly Intent[] = [
  {
    id: 'servicenow.add_comment',
    connector: 'servicenow',
    tool: 'add_comment',
    detect: (text) => incidentNumber(text) !== undefined && COMMENT_DETECT.test(text),
    extract: (text) => {
      const number = incidentNumber(text)!;
      const comment = commentText(text);
      if (!comment) return { missing: `What should the comment on ${number} say?` };
      return { args: { number, comment }, title: `Add a comment to ${number}` };
    },
  },
  {
    id: 'servicenow.resolve_incident',
    connector: 'servicenow',
    tool: 'resolve_incident',
    detect: (text) => incidentNumber(text) !== undefined && /\b(resolve|close|mark\b.*\b(resolved|fixed|done))\b|\b(?:set|move|change|put)\b.*\b(?:to|as)\s+(?:resolved|closed)\b/i.test(text),
    extract: (text) => {
      const number = incidentNumber(text)!;
      const notes = quoted(text) ?? cleanPhrase(/\b(?:with|because|since|as|notes?:?)\s+(.+)$/i.exec(text)?.[1]);
      if (!notes) return { missing: `What resolution note should I put on ${number}?` };
      return { args: { number, close_notes: notes }, title: `Resolve ${number}` };
    },
  },
  {
    id: 'servicenow.get_incident',
    connector: 'servicenow',
    tool: 'get_incident',
    detect: (text) => incidentNumber(text) !== undefined,
    extract: (text) => {
      const number = incidentNumber(text)!;
      return { args: { number }, title: `Look up ${number}` };
    },
  },
  {
    id: 'servicenow.create_incident',
    connector: 'servicenow',
    tool: 'create_incident',
    detect: (text) => CREATE.test(text) && !/\b(jira|bug|story)\b/i.test(text),
    subject: incidentSubject,
    extract: (text, env) => {
      const subject = incidentSubject(text) ?? env.siblingSubject;
      if (!subject) return { missing: 'What is the incident about? A short description is enough, e.g. "VPN drops every few minutes".' };
      const priority = urgencyImpact(text);
      const shortDescription = capitalize(subject).slice(0, 160);
      return {
        args: { short_description: shortDescription, ...(priority ?? {}) },
        title: `Open ${priority ? `a P${PRIORITY.exec(text)?.[1]} ` : 'an '}incident: ${shortDescription}`,
      };
    },
  },
  {
    id: 'servicenow.list_my_incidents',
    connector: 'servicenow',
    tool: 'list_my_incidents',
    detect: (text) =>
      /\b(incidents?|tickets?)\b/i.test(text) && /\b(my|mine|i|me|i've|i have)\b/i.test(text) && !/\b(jira|issues?|bugs?)\b/i.test(text),
    extract: (text) => {
      const all = /\b(all|every|closed|resolved|history)\b/i.test(text);
      return { args: { state: all ? 'all' : 'open' }, title: all ? 'List all your incidents' : 'List your open incidents' };
    },
  },
];
