import { cleanPhrase, quoted } from '../text.js';
import type { Intent, SlotResult } from '../types.js';

const LEAVE = /\b(?:remove|take|drop|delete)\s+me\s+(?:out\s+)?(?:from|of|off)\b|\bremove\s+me\s*$|\b(?:don't|do not|no longer)\s+need\b.*\bgroup\b.*\bremove\b|\b(?:leave|quit|exit|get out of)\s+(?:the\s+)?\S.*\bgroup\b|\bunsubscribe\s+me\s+from\b.*\bgroup\b/i;

/** Okta group changes and discovery the employee can do for themselves. */
export const oktaMoreIntents: readonly Intent[] = [
  {
    id: 'okta.leave_group',
    connector: 'okta',
    tool: 'leave_group',
    detect: (text) => LEAVE.test(text) && /\bgroup\b/i.test(text),
    extract: (text): SlotResult => {
      const group = quoted(text)
        ?? cleanPhrase(/\b(?:from|of|off|leave|quit|exit|get out of|need)\s+(?:the\s+)?(.+?)\s+(?:okta\s+)?group\b/i.exec(text)?.[1])
        ?? cleanPhrase(/\bgroup\s+(?:called\s+|named\s+)?([\w][\w .&-]*)$/i.exec(text)?.[1]);
      if (!group || /^(a|an|this|that|my)$/i.test(group)) return { missing: 'Which Okta group should I remove you from?' };
      return { args: { group }, title: `Remove you from the ${group} group` };
    },
  },
  {
    id: 'okta.list_requestable',
    connector: 'okta',
    tool: 'list_requestable',
    detect: (text) => /\b(groups?|apps?|applications?|access)\b/i.test(text) && !/\baccess\s+to\s+(?!what\b|which\b)\w/i.test(text)
      && /\b(?:can|could|may)\s+i\s+(?:request|ask for|apply for|get)\b|\b(?:i|we)\s+(?:could|can|may)\s+(?:request|ask for|get)\b|\b(?:requestable|available to request|available for me)\b|\bwhat\s+else\s+can\s+i\s+(?:get|request)\b/i.test(text),
    extract: (text): SlotResult => {
      const groups = /\bgroups?\b/i.test(text);
      const apps = /\b(apps?|applications?)\b/i.test(text);
      const kind = groups && !apps ? 'groups' : apps && !groups ? 'apps' : 'all';
      return { args: { kind }, title: `List the ${kind === 'all' ? 'groups and apps' : kind} you can request` };
    },
  },
];
