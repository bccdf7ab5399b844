import { capitalize, cleanPhrase, quoted } from '../text.js';
import type { Intent, SlotResult } from '../types.js';

const FIND = /\b(find|look\s*up|lookup|search|show|get|pull up|what|which|list|any|who owns|do we have|details)\b/i;
const OPP = /\b(opportunit(?:y|ies)|opptys?|opps?|deals?)\b/i;
/** Salesforce's default stages and the short names employees use for them. */
const STAGE = /\b(prospecting|qualification|needs analysis|value proposition|id\.? decision makers|perception analysis|proposal\/price quote|proposal|negotiation\/review|negotiation|closed won|closed lost|won|lost)\b/i;
/** Record ids by key prefix: 001 Account, 006 Opportunity, 500 Case (15 or 18 characters). */
const RECORD_ID = /\b((001|006|500)[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\b/;
const OBJECT_BY_PREFIX: Readonly<Record<string, string>> = { '001': 'Account', '006': 'Opportunity', '500': 'Case' };

function after(text: string, re: RegExp): string | undefined {
  return cleanPhrase(re.exec(text)?.[1]?.replace(/\s+(?:that|which|who)\s+(?:are|is|were|was|have|has)\b.*$/i, '').replace(/\s+(?:in|on|from)\s+(?:salesforce|sfdc)$/i, '').replace(/\?+$/, '').replace(/\s+(?:please|pls)$/i, ''));
}

/** A company named in the text: "for Globex", "the Acme account", "with Initech". */
function accountName(text: string): string | undefined {
  const name = after(text, /\b(?:for|with|at|on)\s+(?:the\s+)?(?:account\s+)?((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*)*)(?:\s+account)?\b/)
    ?? after(text, /\bthe\s+((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*)*)\s+account\b/);
  const reporter = after(text, /^((?:[A-Z][\w&.'-]*)(?:\s+[A-Z][\w&.'-]*)*)\s+(?:says|said|reports?|reported|called|emailed)\b/);
  const found = name && !/^(Salesforce|Sfdc|Them|Me|High|Low|Medium)$/i.test(name) ? name : undefined;
  return found ?? reporter;
}

function opportunityName(text: string): string | undefined {
  const q = quoted(text);
  if (q) return q;
  const stageOf = after(text, /\bstage\s+of\s+(?:the\s+)?(.+?)(?:\s+(?:opportunity|oppty|opp|deal))?\s+(?:to|into|as)\b/i);
  if (stageOf) return stageOf;
  const named = after(text, /\b(?:opportunity|oppty|opp|deal)\s+(?![-–,:]|stage\b)(?:called\s+|named\s+)?(.+?)(?:\s+stage)?\s+(?:to|into|as)\b/i)
    ?? after(text, /\b(?:move|update|set|change|advance|push|put|mark)\s+(?:the\s+)?(?!it\b|opportunity\b|opp\b|deal\b)(.+?)\s+(?:opportunity|oppty|opp|deal)\b/i)
    ?? after(text, /\b(?:move|update|set|change|advance|push|put|mark)\s+(?:the\s+)?(?!it\b)((?:\w+\s+){0,3}(?:renewal|expansion|upsell|deal))\s+(?:to|into|as)\b/i)
    ?? after(text, /\bthe\s+(.+?)\s+(?:opportunity|oppty|opp|deal)\b/i)
    ?? (/\b(?:to|into|as)\s+\w/i.test(text) ? undefined : after(text, /\b(?:opportunity|oppty|opp)\s+(?:called\s+|named\s+)?(.+)$/i));
  return named && !/^(opportunity|opp|deal|stage|it)$/i.test(named) ? named : undefined;
}

export const salesforceIntents: readonly Intent[] = [
  {
    id: 'salesforce.get_record',
    connector: 'salesforce',
    tool: 'get_record',
    detect: (text) => RECORD_ID.test(text),
    extract: (text): SlotResult => {
      const [, id, prefix] = RECORD_ID.exec(text)!;
      return { args: { object: OBJECT_BY_PREFIX[prefix!]!, id: id! }, title: `Look up ${OBJECT_BY_PREFIX[prefix!]} ${id}` };
    },
  },
  {
    id: 'salesforce.update_opportunity_stage',
    connector: 'salesforce',
    tool: 'update_opportunity_stage',
    detect: (text) => /\b(move|update|set|change|advance|push|put|mark)\b/i.test(text)
      && ((OPP.test(text) && (/\bstage\b/i.test(text) || /\b(?:to|into|as)\s+\w/i.test(text) || /\bopportunity\b/i.test(text))) || (/\b(renewal|expansion|upsell)\b/i.test(text) && STAGE.test(text))),
    extract: (text): SlotResult => {
      let opportunity = opportunityName(text);
      // "we lost the Umbrella deal - set it to Closed Lost": the deal named before "it".
      if (!opportunity || /^(it|that)$/i.test(opportunity)) opportunity = after(text, /\bthe\s+(.+?)\s+(?:deal|opportunity|opp)\b/i);
      const stage = after(text, /\b(?:to|into|as)\s+(?:the\s+)?(?:stage\s+)?["']?(.+?)["']?(?:\s+stage)?$/i);
      if (!opportunity) return { missing: 'Which opportunity should I update? Its name is enough, e.g. "Globex Renewal".' };
      if (!stage) return { missing: `Which stage should "${opportunity}" move to?` };
      return { args: { opportunity, stage }, title: `Move opportunity ${opportunity} to ${stage}` };
    },
  },
  {
    id: 'salesforce.create_case',
    connector: 'salesforce',
    tool: 'create_case',
    detect: (text) => /\b(open|create|log|raise|file|new|submit|start)\b.*\bcase\b/i.test(text) && !/\b(incident|ticket|jira|bug)\b/i.test(text) && !/\b(find|show|list|any|which|what)\b.*\bcases\b/i.test(text),
    extract: (text): SlotResult => {
      const account = accountName(text.replace(/"[^"]*"/g, ' '));
      const subject = quoted(text)
        ?? after(text, /\b(?:about|regarding|re:|saying|titled)\s+(.+?)(?:\s+for\s+[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*)?$/i)
        ?? after(text, /\bcase\s+for\s+[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*)*\s*[-:,]\s*(.+)$/)
        ?? after(text, /^[A-Z][\w&.'-]*\s+(?:says|said|reports?|reported)\s+(?:that\s+)?(?:their\s+)?(.+?)[.!,;]\s/);
      const priority = /\b(high|medium|low)[- ]priority\b|\bpriority\s+(high|medium|low)\b/i.exec(text);
      const level = (priority?.[1] ?? priority?.[2])?.toLowerCase();
      if (!subject) return { missing: `What is the case about${account ? ` for ${account}` : ''}? A one-line subject is enough.` };
      const subjectText = capitalize(subject).slice(0, 200);
      return {
        args: { subject: subjectText, ...(account ? { account } : {}), ...(level ? { priority: capitalize(level) } : {}) },
        title: `Open a Salesforce case${account ? ` for ${account}` : ''}: ${subjectText}`,
      };
    },
  },
  {
    id: 'salesforce.find_opportunities',
    connector: 'salesforce',
    tool: 'find_opportunities',
    detect: (text) => (/\b(opportunit(?:y|ies)|opptys?|opps|deals?|pipeline)\b/i.test(text) && (FIND.test(text) || /\bpipeline\s+for\b/i.test(text) || /^\S+(?:\s+\S+)?\s+(?:opportunities|opps|deals)(?:\s+(?:please|pls))?$/i.test(text))),
    extract: (text): SlotResult => {
      const name = quoted(text) ?? after(text, /\b(?:opportunity|oppty|deal)\s+(?:called|named)\s+(.+)$/i);
      const account = after(text, /\b(?:for|with|at|on)\s+(?:the\s+)?(?:account\s+)?(.+?)(?:\s+account)?$/i)
        ?? after(text, /^(?!(?:which|what|any|all|show|list|find|my|the|open|our)\b)(.+?)\s+(?:opportunities|opps|deals)\b/i);
      const stage = after(text, /\bin\s+(?:the\s+)?(.+?)\s+stage\b/i);
      if (name) return { args: { name }, title: `Find opportunity ${name}` };
      if (stage) return { args: { stage }, title: `Find opportunities in ${stage}` };
      if (account && !/^(show|list|find|any|my|the|all)\b/i.test(account)) return { args: { account }, title: `Find opportunities for ${account}` };
      return { missing: 'Which opportunity or account should I look for?' };
    },
  },
  {
    id: 'salesforce.find_cases',
    connector: 'salesforce',
    tool: 'find_cases',
    detect: (text) => /\bcases\b|\bsalesforce\s+case\b/i.test(text) && (FIND.test(text) || /\bcases\s+(?:for|on)\b/i.test(text)),
    extract: (text): SlotResult => {
      const account = after(text, /\bcases\s+does\s+(.+?)\s+have\b/i)
        ?? after(text, /\b(?:for|with|at|on)\s+(?:the\s+)?(?:account\s+)?(.+?)(?:\s+account)?$/i);
      if (!account) return { missing: 'Which account should I look up cases for?' };
      return { args: { account }, title: `Find cases for ${account}` };
    },
  },
  {
    id: 'salesforce.find_accounts',
    connector: 'salesforce',
    tool: 'find_accounts',
    detect: (text) => (/\b(accounts?|customers?|companies|company)\b/i.test(text) && FIND.test(text) && !/\b(okta|locked|unlock|my account)\b/i.test(text))
      || /^who\s+owns\s+\S/i.test(text) || /\bsearch\s+(?:salesforce|sfdc)\s+for\b|\b(?:search|look)\s+for\s+\S.*\s+in\s+(?:salesforce|sfdc)$/i.test(text),
    extract: (text): SlotResult => {
      const name = quoted(text)
        ?? after(text, /\b(?:called|named)\s+(.+)$/i)
        ?? after(text, /^who\s+owns\s+(?:the\s+)?(.+?)(?:\s+account)?$/i)
        ?? after(text, /\bsearch\s+(?:salesforce|sfdc)\s+for\s+(.+)$/i)
        ?? after(text, /\b(?:search|look)\s+for\s+(.+?)\s+in\s+(?:salesforce|sfdc)$/i)
        ?? after(text, /\baccounts?\s+(?:lookup|search)?\s*(?:[-:]|for|matching|like)\s*(.+)$/i)
        ?? after(text, /\baccounts?\s+(?!for\b|lookup\b)(.+)$/i)
        ?? after(text, /\b(?:find|look\s*up|search(?:\s+for)?|show|get|pull up)\s+(?:me\s+)?(?:the\s+)?(?:customer\s+)?(.+?)\s+(?:account|customer)s?\b/i);
      if (!name) return { missing: 'Which account should I look for? A company name is enough.' };
      return { args: { name }, title: `Find accounts matching ${name}` };
    },
  },
];
