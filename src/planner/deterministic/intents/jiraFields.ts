import { cleanPhrase, jiraKey, quoted } from '../text.js';
import type { Intent, SlotResult } from '../types.js';

const PRIORITY_WORD = /\b(highest|high|medium|low|lowest|blocker|critical|p[1-5])\b/i;
const CHANGE = /\b(make|set|change|bump|raise|lower|increase|decrease|update|edit|switch|drop|move)\b/i;

function label(text: string, verb: 'add' | 'remove'): string | undefined {
  const re = verb === 'add'
    ? /\b(?:add|put|tag(?:\s+it)?\s+with)\s+(?:the\s+|a\s+)?labels?\s+["']?([\w.-]+)["']?|\btag\s+[A-Z][A-Z0-9]{1,9}-\d+\s+(?:with\s+|as\s+)?["']?([\w.-]+)["']?|\blabel\s+[A-Z][A-Z0-9]{1,9}-\d+\s+(?:with\s+|as\s+)?["']?([\w.-]+)["']?/i
    : /\b(?:remove|drop|delete|take\s+off)\s+(?:the\s+)?labels?\s+["']?([\w.-]+)["']?|\b(?:remove|drop|delete|take\s+off)\s+(?:the\s+)?["']?([\w.-]+)["']?\s+label\b/i;
  const m = re.exec(text);
  const value = m?.[1] ?? m?.[2] ?? m?.[3];
  return value && !/^(to|from|on|of)$/i.test(value) ? value : undefined;
}

function priorityName(text: string): string | undefined {
  if (!/\bpriority|prio\b/i.test(text) && !/\b(?:to|as|a|an)\s+(?:a\s+)?(highest|blocker|critical|p[1-5])\b/i.test(text)) return undefined;
  const word = /\b(?:to|as|be)\s+(?:a\s+)?(highest|high|medium|low|lowest|blocker|critical|p[1-5])\b/i.exec(text)?.[1] ?? PRIORITY_WORD.exec(text.replace(/\bpriority\b/gi, ''))?.[1];
  if (!word) return undefined;
  const w = word.toLowerCase();
  return /^p[1-5]$/.test(w) ? w.toUpperCase() : w === 'blocker' || w === 'critical' ? 'Highest' : w.charAt(0).toUpperCase() + w.slice(1);
}

function dueDate(text: string): string | null | undefined {
  if (/\b(clear|remove|drop)\b.*\bdue\b/i.test(text)) return null;
  return /\b(\d{4}-\d{2}-\d{2})\b/.exec(text)?.[1];
}

export const jiraFieldIntents: readonly Intent[] = [
  {
    id: 'jira.edit_issue',
    connector: 'jira',
    tool: 'edit_issue',
    detect: (text) => jiraKey(text) !== undefined && !/\b(comment|assign|status|transition)\b/i.test(text)
      && ((CHANGE.test(text) && (/\b(priority|prio|labels?|due|deadline|summary|title)\b/i.test(text) || /\b(?:to|a|an|as)\s+(?:a\s+)?p[1-5]\b/i.test(text))) || /\b(rename|retitle|relabel)\b|\b(add|remove|put|drop)\s+(?:the\s+|a\s+)?labels?\b|\b(add|remove|drop)\s+(?:the\s+|a\s+)?\S+\s+label\b|\btag\s+[A-Z]/i.test(text)),
    extract: (text): SlotResult => {
      const key = jiraKey(text)!;
      const add = label(text, 'add');
      const remove = label(text, 'remove');
      if (add || remove) return { args: { key, ...(add ? { add_labels: [add] } : {}), ...(remove ? { remove_labels: [remove] } : {}) }, title: `${add ? `Label ${key} ${add}` : `Remove the label ${remove} from ${key}`}` };
      if (/\b(due|deadline)\b/i.test(text)) {
        const due = dueDate(text);
        if (due === undefined) return { missing: `Which date should ${key} be due? Please give it as YYYY-MM-DD, e.g. 2026-12-24.` };
        return { args: { key, due_date: due }, title: due ? `Make ${key} due on ${due}` : `Clear the due date of ${key}` };
      }
      if (/\b(rename|retitle|summary|title)\b/i.test(text)) {
        const summary = quoted(text) ?? cleanPhrase(/\b(?:to|as)\s+(.+)$/i.exec(text)?.[1]);
        if (!summary) return { missing: `What should the new summary of ${key} be?` };
        return { args: { key, summary }, title: `Rename ${key}` };
      }
      const priority = priorityName(text);
      if (!priority) return { missing: `Which priority should ${key} get? (Highest, High, Medium, Low or Lowest)` };
      return { args: { key, priority }, title: `Set the priority of ${key} to ${priority}` };
    },
  },
  {
    id: 'jira.list_transitions',
    connector: 'jira',
    tool: 'list_transitions',
    detect: (text) => jiraKey(text) !== undefined && (/\b(transitions?|workflow)\b/i.test(text) || /\b(which|what)\s+(?:statuses|states|status(?:es)?|columns)\b.*\b(can|could|available|possible)\b/i.test(text) || /\b(?:where|what)\s+can\s+(?:i|we)\s+move\b/i.test(text)) && !/\b(to|into)\s+["']?[A-Z][\w ]*["']?$/.test(text),
    extract: (text): SlotResult => {
      const key = jiraKey(text)!;
      return { args: { key }, title: `List the statuses ${key} can move to` };
    },
  },
  {
    id: 'jira.watch_issue',
    connector: 'jira',
    tool: 'watch_issue',
    detect: (text) => jiraKey(text) !== undefined && /\b(watch|watcher|follow|subscribe\s+(?:me\s+)?to|notify me|keep me (?:posted|updated|in the loop))\b/i.test(text) && !/\b(un-?watch|unfollow|stop)\b/i.test(text),
    extract: (text): SlotResult => {
      const key = jiraKey(text)!;
      return { args: { key }, title: `Watch ${key}` };
    },
  },
];
