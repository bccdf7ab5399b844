import { capitalize, cleanPhrase, quoted } from '../text.js';
import type { Intent, SlotResult } from '../types.js';

/** A Salesforce case number ("case 00001026", "case #1026"); never an INC number or a Jira key. */
function caseNumber(text: string): string | undefined {
  return /\bcase\s*(?:number\s*|no\.?\s*|#\s*)?(\d{3,10})\b/i.exec(text)?.[1];
}
const CASE_STATUS = /\b(?:to|as)\s+(new|working|escalated|on hold|waiting on customer)\b/i;

function after(text: string, re: RegExp): string | undefined {
  return cleanPhrase(re.exec(text)?.[1]?.replace(/\?+$/, ''));
}

export const salesforceCaseIntents: readonly Intent[] = [
  {
    id: 'salesforce.close_case',
    connector: 'salesforce',
    tool: 'close_case',
    detect: (text) => caseNumber(text) !== undefined && /\b(close|resolve|mark\b.*\b(?:closed|resolved|solved))\b/i.test(text),
    extract: (text): SlotResult => {
      const number = caseNumber(text)!;
      const resolution = quoted(text) ?? after(text, /\b(?:with|because|since|as|resolution:?|notes?:?)\s+(.+)$/i);
      return { args: { case_number: number, ...(resolution ? { resolution: capitalize(resolution) } : {}) }, title: `Close case ${number}` };
    },
  },
  {
    id: 'salesforce.comment_on_case',
    connector: 'salesforce',
    tool: 'comment_on_case',
    detect: (text) => caseNumber(text) !== undefined && /\b(comment|note)\b/i.test(text),
    extract: (text): SlotResult => {
      const number = caseNumber(text)!;
      const comment = quoted(text) ?? after(text, /\b(?:saying|that says|stating|:)\s*(.+)$/i) ?? after(text, /\b(?:comment|note)\b(?:\s+(?:on|to)\s+(?:salesforce\s+)?case\s*#?\s*\d+)?\s+that\s+(.+)$/i);
      if (!comment) return { missing: `What should the comment on case ${number} say?` };
      return { args: { case_number: number, comment }, title: `Comment on case ${number}` };
    },
  },
  {
    id: 'salesforce.update_case',
    connector: 'salesforce',
    tool: 'update_case',
    detect: (text) => caseNumber(text) !== undefined && /\b(set|change|update|make|mark|escalate|bump|raise|lower)\b/i.test(text),
    extract: (text): SlotResult => {
      const number = caseNumber(text)!;
      if (/\bescalate\b/i.test(text)) return { args: { case_number: number, status: 'Escalated' }, title: `Escalate case ${number}` };
      const priority = /\b(high|medium|low)\b/i.exec(/\bpriority\b/i.test(text) ? text : '')?.[1];
      if (priority) return { args: { case_number: number, priority: capitalize(priority.toLowerCase()) }, title: `Set the priority of case ${number} to ${capitalize(priority)}` };
      const status = CASE_STATUS.exec(text)?.[1];
      if (status) return { args: { case_number: number, status: status.replace(/\b\w/g, (c) => c.toUpperCase()) }, title: `Set case ${number} to ${status}` };
      return { missing: `What should change on case ${number}: its status, priority or subject?` };
    },
  },
  {
    id: 'salesforce.create_opportunity',
    connector: 'salesforce',
    tool: 'create_opportunity',
    detect: (text) => /\b(create|new|add|open|log|set up)\b.*\b(opportunity|oppty|deal)\b/i.test(text) && !/\b(find|show|list|which|what|any|stage)\b/i.test(text),
    extract: (text): SlotResult => {
      const account = after(text, /\b(?:for|with|at|on)\s+(?:the\s+)?(?:account\s+)?((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*)*)/);
      const closeDate = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
      const name = quoted(text) ?? after(text, /\b(?:called|named|titled)\s+(.+?)(?:\s*,.*|\s+(?:for|with|closing|worth|expected)\b.*)?$/i);
      if (!account) return { missing: 'Which account is the new opportunity for?' };
      if (!name) return { missing: `What should the new opportunity for ${account} be called? (e.g. "${account} - Renewal 2027")` };
      if (!closeDate) return { missing: `When is "${name}" expected to close? Please give a date as YYYY-MM-DD.` };
      return { args: { name, account, close_date: closeDate }, title: `Create opportunity ${name} for ${account}` };
    },
  },
  {
    id: 'salesforce.find_contacts',
    connector: 'salesforce',
    tool: 'find_contacts',
    detect: (text) => /\bcontacts?\b|\b(?:phone number|email address|e-mail)\s+(?:of|for)\b/i.test(text) && /\b(find|search|look\s*up|who|show|get|list|details|what|which|any)\b/i.test(text),
    extract: (text): SlotResult => {
      const email = /\b([\w.+-]+@[\w-]+\.[\w.-]+)\b/.exec(text)?.[1];
      const account = after(text, /\b(?:at|from)\s+(?:the\s+)?((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*)*)/) ?? after(text, /\bcontacts?\s+(?:at|for|of)\s+(?:the\s+)?((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*)*)/);
      const name = after(text, /\b(?:contact(?:\s+details)?|phone number|email address|e-mail)\s+(?:for|of|called|named)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)(?=\s+(?:at|from)\b|$)/)
        ?? after(text, /\b(?:called|named)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)/)
        ?? after(text, /\bcontacts?\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)$/);
      if (!email && !account && !name) return { missing: 'Whose contact details should I look for? A name, an email or a company is enough.' };
      return { args: { ...(name ? { name } : {}), ...(email ? { email } : {}), ...(account && account !== name ? { account } : {}) }, title: `Find contacts${name ? ` named ${name}` : ''}${account ? ` at ${account}` : ''}` };
    },
  },
];
