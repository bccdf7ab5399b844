import { capitalize, cleanPhrase, jiraKey, quoted } from '../text.js';
import { COMMENT_DETECT, commentText } from './servicenow.js';
import type { Intent, SlotEnv } from '../types.js';

const CREATE = /\b(create|file|open|raise|log|make|add|submit|report|new)\b[^.]*?\b(jira|issue|bug|story|task)\b/i;

function issueType(text: string): 'Bug' | 'Task' | 'Story' | undefined {
  if (/\bbug\b/i.test(text)) return 'Bug';
  if (/\bstory\b/i.test(text)) return 'Story';
  if (/\btask\b/i.test(text)) return 'Task';
  return undefined;
}

/** "in NET", "project NET", "NET project", "for the network team" (via aliases), or the user's default project. */
function project(text: string, env: SlotEnv): string | undefined {
  const explicit = /\b(?:in|into|to|under|on)\s+(?:the\s+)?(?:project\s+)?([A-Z][A-Z0-9]{1,9})\b(?!-\d)/.exec(text)
    ?? /\bproject\s+([A-Z][A-Z0-9]{1,9})\b/i.exec(text)
    ?? /\b([A-Z][A-Z0-9]{1,9})\s+(?:project|board)\b/.exec(text);
  if (explicit?.[1] && explicit[1] !== 'P1' && !/^(P[1-4]|INC|JIRA|IT|MFA|VPN)$/.test(explicit[1].toUpperCase())) return explicit[1].toUpperCase();
  const lower = text.toLowerCase();
  for (const [alias, key] of Object.entries(env.projectAliases)) {
    if (new RegExp(`\\b(?:for|in|to)\\s+(?:the\\s+)?${alias}(?:\\s+(?:team|project|board|folks|people))?\\b`).test(lower)) return key;
  }
  return env.facts['jira.defaultProject'];
}

function summary(text: string, env: SlotEnv): string | undefined {
  const q = quoted(text);
  if (q) return q;
  const match = /\b(?:about|regarding|titled|called|named|saying|re:|:)\s+(.+)$/i.exec(text)
    ?? /\b(?:bug|issue|story|task)\s+(?:for|on)\s+(?!the\s+\w+\s+team\b)(.+)$/i.exec(text)
    ?? /\b(?:bug|issue|story|task|jira)\b(?:\s+(?:in|for|on|under)\s+(?:the\s+)?(?:project\s+)?[A-Z][A-Z0-9]{1,9})?\s+to\s+(?!me\b)(.+)$/i.exec(text)
    ?? /\b(?:bug|issue|story|task)\s*[,:-]\s+(.+)$/i.exec(text)
    ?? /^(.{6,}?)\s*(?:[.,;:!?]|\s-)\s*(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?(?:create|file|open|raise|log|make|add|submit|report)\b/i.exec(text);
  let phrase = match?.[1];
  if (phrase) {
    phrase = phrase.replace(/\s+(?:in|for|to|under)\s+(?:the\s+)?(?:project\s+)?[A-Z][A-Z0-9]{1,9}(?:\s+project)?$/, '');
    for (const alias of Object.keys(env.projectAliases)) phrase = phrase.replace(new RegExp(`\\s+(?:for|in|to)\\s+(?:the\\s+)?${alias}(?:\\s+team)?$`, 'i'), '');
  }
  const cleaned = cleanPhrase(phrase);
  return cleaned ?? env.siblingSubject;
}

function assignee(text: string): string | undefined {
  if (/\b(to|for)\s+me\b|\bmyself\b|\bassign\s+me\b|\btake\b/i.test(text)) return 'me';
  const email = /\b([\w.+-]+@[\w-]+\.[\w.-]+)\b/.exec(text)?.[1];
  if (email) return email;
  return cleanPhrase(/\bto\s+([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?)\b/.exec(text)?.[1] ?? /\bto\s+(\w[\w'-]*(?:\s+\w[\w'-]*)?)$/i.exec(text)?.[1]);
}

export const jiraIntents: readonly Intent[] = [
  {
    id: 'jira.add_comment',
    connector: 'jira',
    tool: 'add_comment',
    detect: (text) => jiraKey(text) !== undefined && COMMENT_DETECT.test(text),
    extract: (text) => {
      const key = jiraKey(text)!;
      const comment = commentText(text);
      if (!comment) return { missing: `What should the comment on ${key} say?` };
      return { args: { key, comment }, title: `Add a comment to ${key}` };
    },
  },
  {
    id: 'jira.assign_issue',
    connector: 'jira',
    tool: 'assign_issue',
    detect: (text) => jiraKey(text) !== undefined && /\b(assign|reassign|give|hand)\b|\btake\s+(over\s+)?[A-Z]/i.test(text),
    extract: (text) => {
      const key = jiraKey(text)!;
      const who = assignee(text);
      if (!who) return { missing: `Who should ${key} be assigned to?` };
      return { args: { key, assignee: who }, title: who === 'me' ? `Assign ${key} to you` : `Assign ${key} to ${who}` };
    },
  },
  {
    id: 'jira.transition_issue',
    connector: 'jira',
    tool: 'transition_issue',
    detect: (text) => jiraKey(text) !== undefined && /\b(move|transition|set|mark|change|put|drag|push|start|close|resolve|done)\b/i.test(text) && !/^(?:is|are|was|has|have|did|does|when|will)\b/i.test(text),
    extract: (text) => {
      const key = jiraKey(text)!;
      const to = /\b(?:to|as|into|in)\s+["']?([\w][\w ]{0,30}?)["']?(?:\s+(?:status|column|state))?$/i.exec(text)?.[1]
        ?? (/\bstart\b/i.test(text) ? 'In Progress' : /\b(close|done|resolve)\b/i.test(text) ? 'Done' : undefined);
      const status = /\bon\s+hold\b/i.test(text) ? 'On Hold' : cleanPhrase(to?.replace(/\s+(?:now|today|please|pls|asap|thanks)$/i, ''));
      if (!status || /^(?:some|any)(?:one|body)\b/i.test(status)) return { missing: `Which status should ${key} move to?` };
      const titled = status.replace(/\b\w/g, (c) => c.toUpperCase());
      return { args: { key, to: titled }, title: `Move ${key} to ${titled}` };
    },
  },
  {
    id: 'jira.get_issue',
    connector: 'jira',
    tool: 'get_issue',
    detect: (text) => jiraKey(text) !== undefined,
    extract: (text) => {
      const key = jiraKey(text)!;
      return { args: { key }, title: `Look up ${key}` };
    },
  },
  {
    id: 'jira.create_issue',
    connector: 'jira',
    tool: 'create_issue',
    detect: (text) => CREATE.test(text) && !/\bmy\s+(jira\s+)?(issues|bugs|tasks)\b/i.test(text),
    extract: (text, env) => {
      const key = project(text, env);
      const subject = summary(text, env);
      if (!subject) return { missing: 'What should the Jira issue say? A one-line summary is enough.' };
      if (!key) return { missing: `Which Jira project should I file "${subject}" in? (for example NET)` };
      const type = issueType(text);
      const summaryText = capitalize(subject).slice(0, 200);
      return {
        args: { project: key, summary: summaryText, ...(type ? { issue_type: type } : {}) },
        title: `Create a Jira ${type?.toLowerCase() ?? 'issue'} in ${key}: ${summaryText}`,
      };
    },
  },
  {
    id: 'jira.list_my_issues',
    connector: 'jira',
    tool: 'list_my_issues',
    detect: (text) => /\b(issues|bugs|stories|tasks|jira|tickets)\b/i.test(text) && /\b(my|mine|me|i|assigned)\b/i.test(text) && /\b(jira|issues|bugs|stories|tasks|working on)\b/i.test(text) && !/\b(access|request|blocking|blocked|related|linked)\b/i.test(text),
    extract: () => ({ args: {}, title: 'List your open Jira issues' }),
  },
];
