import { cleanPhrase, quoted } from '../text.js';
import type { Intent } from '../types.js';

const has = (re: RegExp) => (text: string): boolean => re.test(text);

function justification(text: string): string | undefined {
  return cleanPhrase(/\b(?:because|since|as|for|to)\s+(?:i\s+)?(?:need|have|am|want|must)\b(.*)$/i.exec(text)?.[0]);
}

function accessTarget(text: string, noun: 'group' | 'app'): string | undefined {
  const q = quoted(text);
  if (q) return q;
  const re = noun === 'group'
    ? /.*\b(?:to|join|into|in|need|want|get)\s+(?:the\s+)?(.+?)\s+(?:okta\s+)?group\b|\bgroup\s+(?:called\s+|named\s+)?([\w][\w .&-]*?)(?=\s+(?:because|since|for|so)\b|$)/i
    : /\baccess\s+to\s+(?:the\s+)?(.+?)(?:\s+(?:app|application|tool))?(?=\s+(?:because|since|for|so)\b|[,.;?]|$)|\b(?:assign|give)\s+me\s+(?:the\s+)?(.+?)\s+(?:app|application)\b/i;
  // "Figma access please": a capitalised name right before "access" (case matters, so a separate test).
  const match = re.exec(text) ?? (noun === 'app' ? /^(?:[Pp]lease\s+)?()([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?)\s+access\b/.exec(text) : null);
  return cleanPhrase((match?.[1] || match?.[2])?.replace(/^(?:join|be in)\s+(?:the\s+)?/i, ''))?.replace(/\s+(?:app|application)$/i, '');
}

export const oktaIntents: readonly Intent[] = [
  {
    id: 'okta.reset_mfa',
    connector: 'okta',
    tool: 'reset_my_mfa',
    detect: has(/\b(mfa|2fa|two[- ]factor|multi[- ]factor|authenticator|okta verify)\b|\b(?:okta|verification|verify|sign[- ]in|login)\s+codes?\b/i),
    extract: () => ({ args: {}, title: 'Reset your MFA factors in Okta' }),
  },
  {
    id: 'okta.unlock',
    connector: 'okta',
    tool: 'unlock_my_account',
    detect: has(/\bunlock\b|\blocked\s+out\b|\baccount\s+(?:is\s+|got\s+|has\s+been\s+)?locked\b|\block(?:ed)?\s+me\s+out\b/i),
    extract: () => ({ args: {}, title: 'Unlock your Okta account' }),
  },
  {
    id: 'okta.reset_password',
    connector: 'okta',
    tool: 'reset_my_password',
    detect: has(/\b(reset|forgot|forgotten|change|new|recover)\b.*\b(password|passwd|pwd)\b|\b(?:can't|cannot|cant|don't|do not)\s+remember\b.*\bpassword\b|\bpassword\b.*\b(reset|expired|forgot|not working)\b/i),
    extract: () => ({ args: {}, title: 'Reset your Okta password' }),
  },
  {
    id: 'okta.request_group',
    connector: 'okta',
    tool: 'request_group_membership',
    detect: has(/\b(request|need|want|get|give|add|join|put)\b.*\bgroup\b|\blet\s+me\s+(?:in|into|join)\b.*\bgroup\b/i),
    extract: (text) => {
      const group = accessTarget(text, 'group');
      if (!group) return { missing: 'Which Okta group do you need to join?' };
      const why = justification(text);
      return { args: { group, ...(why ? { justification: why } : {}) }, title: `Request membership of the ${group} group` };
    },
  },
  {
    id: 'okta.request_app',
    connector: 'okta',
    tool: 'request_app_access',
    detect: (text) => /^(?:[Pp]lease\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?\s+access\b(?!\s+(?:to|is|was|isn't|doesn't))/.test(text) || has(/\b(request|need|want|get|give|grant)\b.*\baccess\s+to\b|\b(assign|give)\s+me\s+.+\s+(app|application)\b/i)(text),
    extract: (text) => {
      const app = accessTarget(text, 'app');
      if (!app) return { missing: 'Which application do you need access to?' };
      const why = justification(text);
      return { args: { app, ...(why ? { justification: why } : {}) }, title: `Request access to ${app}` };
    },
  },
  {
    id: 'okta.list_groups',
    connector: 'okta',
    tool: 'list_my_groups',
    detect: has(/\b(which|what|list|show)\b.*\bgroups\b.*\b(i|me|my)\b|\bmy\s+(okta\s+)?groups\b|\bgroups\b.*\b(i'm|i am)\s+(?:a\s+)?(?:member|in)\b|\bam\s+i\s+in\b.*\bgroups\b/i),
    extract: () => ({ args: {}, title: 'List your Okta groups' }),
  },
  {
    id: 'okta.list_apps',
    connector: 'okta',
    tool: 'list_my_apps',
    detect: has(/\b(which|what|list|show)\b.*\b(apps|applications)\b.*\b(i|me|my)\b|\bmy\s+(okta\s+)?(apps|applications)\b|\b(apps|applications)\s+i\s+(?:have|can)\b|\bdo\s+i\s+have\b.*\b(apps|applications)\b/i),
    extract: () => ({ args: {}, title: 'List your Okta apps' }),
  },
  {
    id: 'okta.profile',
    connector: 'okta',
    tool: 'get_my_profile',
    detect: has(/\bokta\s+profile\b|\bmy\s+(?:okta\s+)?(?:profile|account\s+(?:status|details|info))\b|\bwho\s+am\s+i\b|\b(?:status|details)\s+of\s+my\s+okta\s+account\b|\bis\s+my\s+(?:okta\s+)?account\s+(?:active|ok|okay|suspended)\b/i),
    extract: () => ({ args: {}, title: 'Look up your Okta profile' }),
  },
];
