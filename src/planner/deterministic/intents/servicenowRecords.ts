import { capitalize, cleanPhrase, incidentNumber, quoted } from '../text.js';
import type { Intent, SlotResult } from '../types.js';

/** ServiceNow's priority names (default lookup) as employees say them. */
const PRIORITY_NAMES: Readonly<Record<string, number>> = { critical: 1, 'very high': 1, highest: 1, high: 2, moderate: 3, medium: 3, normal: 3, low: 4, planning: 5, lowest: 5 };
const CHANGE = /\b(make|set|change|bump|raise|lower|increase|decrease|upgrade|downgrade|update|move|reprioriti[sz]e|mark|switch|drop)\b/i;

/** "to P1", "a P2 not a P4", "priority 3", "from P4 to P2", "to high". */
function priorityOf(text: string): number | undefined {
  const target = /\b(?:to|into|as|be|a|an)\s+(?:a\s+)?(?:p|priority\s*|prio\s*|sev\s*)([1-5])\b/i.exec(text) ?? /\b(?:p|priority\s*|prio\s*|sev\s*)([1-5])\b/i.exec(text);
  if (target?.[1]) return Number(target[1]);
  const named = /\bpriority\b.*?\b(?:to|as)\s+(critical|very high|highest|high|moderate|medium|normal|low|planning|lowest)\b/i.exec(text)
    ?? /\b(?:to|as)\s+(critical|very high|highest|high|moderate|medium|normal|low|planning|lowest)\s+priority\b/i.exec(text);
  return named?.[1] ? PRIORITY_NAMES[named[1].toLowerCase()] : undefined;
}

/** Urgency alone: "urgency 1", "urgency to high", "bump it to urgent". */
function urgencyOf(text: string): number | undefined {
  const n = /\burgency\b(?:\s+of\s+INC\d{7})?\D{0,12}([1-3])\b/i.exec(text)?.[1];
  if (n) return Number(n);
  const word = /\burgency\b.*?\b(?:to|as)\s+(high|medium|low)\b/i.exec(text)?.[1] ?? (/\bto\s+urgent\b|\burgent\s+now\b/i.test(text) ? 'high' : undefined);
  return word ? { high: 1, medium: 2, low: 3 }[word.toLowerCase() as 'high' | 'medium' | 'low'] : undefined;
}

function newTitle(text: string): string | undefined {
  const match = /\b(?:rename|retitle)\s+INC\d{7}\s+(?:to|as)\s+(.+)$/i.exec(text) ?? /\b(?:title|short description|summary)\s+(?:of\s+INC\d{7}\s+)?(?:to|as)\s+(.+)$/i.exec(text);
  return quoted(text) ?? cleanPhrase(match?.[1]);
}

const REQUEST_STATUS = /\b(where|status|update|eta|progress|track|arrive|arrived|shipped|delivered|happened)\b.*\b(my|the)\s+(?:\w+\s+){0,2}(order|orders|request|requests|requested items?|ritm|laptop|monitor|headset|equipment|delivery)\b|\b(my|the)\s+(?:\w+\s+){0,2}(order|request)s?\b.*\b(shipped|arrived|delivered|status|ready|coming|here)\b|\b(RITM|REQ)\d{7,10}\b|\bmy\s+(?:catalog\s+)?(?:orders|requests|requested items)\b/i;

export const serviceNowRecordIntents: readonly Intent[] = [
  {
    id: 'servicenow.update_incident',
    connector: 'servicenow',
    tool: 'update_incident',
    detect: (text) => (incidentNumber(text) !== undefined && /^(?:please\s+|pls\s+|can you\s+)?(?:update|change|edit)\s+INC\d{7}$/i.test(text)) || incidentNumber(text) !== undefined && (CHANGE.test(text) || /\bshould be\b/i.test(text) || /\b(rename|retitle)\b/i.test(text))
      && (priorityOf(text) !== undefined || urgencyOf(text) !== undefined || /\b(priority|urgency|title|short description|rename|retitle)\b/i.test(text))
      && !/\b(comment|note)\b/i.test(text),
    extract: (text): SlotResult => {
      const number = incidentNumber(text)!;
      const priority = priorityOf(text);
      if (priority !== undefined) return { args: { number, priority }, title: `Make ${number} a P${priority}` };
      const urgency = urgencyOf(text);
      if (urgency !== undefined) return { args: { number, urgency }, title: `Set the urgency of ${number} to ${urgency}` };
      const title = /\b(title|short description|rename|retitle|summary)\b/i.test(text) ? newTitle(text) : undefined;
      if (title) return { args: { number, short_description: capitalize(title).slice(0, 160) }, title: `Retitle ${number}` };
      return { missing: `What should change on ${number}? For example "make ${number} a P2" or "set its urgency to 1".` };
    },
  },
  {
    id: 'servicenow.reopen_incident',
    connector: 'servicenow',
    tool: 'reopen_incident',
    detect: (text) => incidentNumber(text) !== undefined && /\b(re-?open|reactivate)\b/i.test(text),
    extract: (text): SlotResult => {
      const number = incidentNumber(text)!;
      const reason = quoted(text) ?? cleanPhrase(/\b(?:because|since|as|saying|reason:?)\s+(.+)$/i.exec(text)?.[1] ?? /[,;:?.!-]\s*(.{3,})$/.exec(text.replace(/^.*?\bINC\d{7}\b/i, ''))?.[1]);
      if (!reason || reason.length < 3) return { missing: `Why isn't ${number} fixed? I'll add your reason as a comment when I reopen it.` };
      return { args: { number, reason: capitalize(reason) }, title: `Reopen ${number}` };
    },
  },
  {
    id: 'servicenow.list_my_requests',
    connector: 'servicenow',
    tool: 'list_my_requests',
    detect: (text) => REQUEST_STATUS.test(text) && !/\b(access|group|app|apps|jira|incident|ticket)\b/i.test(text),
    extract: (text): SlotResult => {
      const number = /\b((?:RITM|REQ)\d{7,10})\b/i.exec(text)?.[1]?.toUpperCase();
      const all = /\b(all|every|closed|delivered|history|past)\b/i.test(text);
      if (number) return { args: { number }, title: `Look up ${number}` };
      return { args: { state: all ? 'all' : 'open' }, title: all ? 'List all your catalog requests' : 'List your open catalog requests' };
    },
  },
];

/** Questions the knowledge base answers ("how do I …"): tried before the self-service actions. */
export const knowledgeIntent: Intent = {
  id: 'servicenow.search_knowledge',
  connector: 'servicenow',
  tool: 'search_knowledge',
  detect: (text) => /\b(knowledge\s*base|kb|knowledge articles?|help articles?|articles?\s+(?:about|on|for))\b/i.test(text) || /^(?:(?:hi|hey|quick question)[,!]?\s+)?(?:how\s+(?:do|can|should)\s+i|how\s+to)\b/i.test(text),
  extract: (text): SlotResult => {
    const query = quoted(text)
      ?? cleanPhrase(/\b(?:knowledge\s*base|kb|articles?)\s+(?:for|about|on)\s+(.+)$/i.exec(text)?.[1])
      ?? cleanPhrase(/\bhow\s+(?:do|can|should)\s+i\s+(.+)$/i.exec(text)?.[1] ?? /\bhow\s+to\s+(.+)$/i.exec(text)?.[1])
      ?? cleanPhrase(/\b(?:search|find|look\s*up|check)\s+(?:the\s+)?(?:knowledge\s*base|kb)\s+(.+)$/i.exec(text)?.[1]);
    if (!query || query.length < 2) return { missing: 'What should I look for in the knowledge base?' };
    return { args: { query: query.replace(/\?+$/, '') }, title: `Search the knowledge base for "${query.replace(/\?+$/, '')}"` };
  },
};
