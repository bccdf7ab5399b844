import { cleanPhrase, quoted } from '../text.js';
import type { Intent, SlotResult } from '../types.js';

const FIND = /\b(find|look\s*up|search|show|get|pull up|what|which|list|any)\b/i;

function after(text: string, re: RegExp): string | undefined {
  return cleanPhrase(re.exec(text)?.[1]?.replace(/\s+(?:in|on|from)\s+salesforce$/i, ''));
}

export const salesforceIntents: readonly Intent[] = [
  {
    id: 'salesforce.update_opportunity_stage',
    connector: 'salesforce',
    tool: 'update_opportunity_stage',
    detect: (text) => /\b(opportunity|oppty|opp|deal)\b/i.test(text) && /\b(move|update|set|change|advance|push|put|mark)\b/i.test(text) && /\bstage\b|\bto\s+\w/i.test(text),
    extract: (text): SlotResult => {
      const q = quoted(text);
      const opportunity = q ?? after(text, /\b(?:opportunity|oppty|opp|deal)\s+(?:called\s+|named\s+)?(.+?)\s+(?:to|into)\b/i)
        ?? after(text, /\b(?:move|update|set|change|advance|push|put|mark)\s+(?:the\s+)?(.+?)\s+(?:opportunity|oppty|opp|deal)\b/i);
      const stage = after(text, /\b(?:to|into)\s+(?:the\s+)?(?:stage\s+)?["']?(.+?)["']?(?:\s+stage)?$/i);
      if (!opportunity) return { missing: 'Which opportunity should I update?' };
      if (!stage) return { missing: `Which stage should "${opportunity}" move to?` };
      return { args: { opportunity, stage }, title: `Move opportunity ${opportunity} to ${stage}` };
    },
  },
  {
    id: 'salesforce.find_opportunities',
    connector: 'salesforce',
    tool: 'find_opportunities',
    detect: (text) => /\b(opportunit(?:y|ies)|opptys?|opps|deals?|pipeline)\b/i.test(text) && FIND.test(text),
    extract: (text): SlotResult => {
      const account = after(text, /\b(?:for|with|at|on)\s+(?:the\s+)?(?:account\s+)?(.+?)(?:\s+account)?$/i);
      const name = quoted(text) ?? after(text, /\b(?:opportunity|oppty|deal)\s+(?:called|named)\s+(.+)$/i);
      const stage = after(text, /\bin\s+(?:the\s+)?(.+?)\s+stage\b/i);
      if (name) return { args: { name }, title: `Find opportunity ${name}` };
      if (account) return { args: { account }, title: `Find opportunities for ${account}` };
      if (stage) return { args: { stage }, title: `Find opportunities in ${stage}` };
      return { missing: 'Which opportunity or account should I look for?' };
    },
  },
  {
    id: 'salesforce.find_cases',
    connector: 'salesforce',
    tool: 'find_cases',
    detect: (text) => /\b(customer\s+)?cases\b|\bsalesforce\s+case\b/i.test(text) && FIND.test(text),
    extract: (text): SlotResult => {
      const account = after(text, /\b(?:for|with|at|on)\s+(?:the\s+)?(?:account\s+)?(.+?)(?:\s+account)?$/i);
      if (!account) return { missing: 'Which account should I look up cases for?' };
      return { args: { account }, title: `Find cases for ${account}` };
    },
  },
  {
    id: 'salesforce.find_accounts',
    connector: 'salesforce',
    tool: 'find_accounts',
    detect: (text) => /\b(accounts?|customers?|companies|company)\b/i.test(text) && FIND.test(text) && !/\b(okta|locked|unlock)\b/i.test(text),
    extract: (text): SlotResult => {
      const name = quoted(text)
        ?? after(text, /\baccounts?\s+(?:called|named|for|matching|like)?\s*(.+)$/i)
        ?? after(text, /\b(?:find|look\s*up|search(?:\s+for)?|show|get|pull up)\s+(?:the\s+)?(?:customer\s+)?(.+?)\s+(?:account|customer)s?\b/i);
      if (!name) return { missing: 'Which account should I look for? A company name is enough.' };
      return { args: { name }, title: `Find accounts matching ${name}` };
    },
  },
];
