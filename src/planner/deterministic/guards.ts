import type { ToolSummary } from '../planner.js';
import { TIER0_HELP } from './answerWriter.js';
import { incidentNumber, jiraKey } from './text.js';

/** A reply tier 0 gives instead of a plan: an honest "cannot", a refusal, or a targeted question. */
export type GuardResult =
  | { readonly kind: 'answer'; readonly text: string; readonly intent: string }
  | { readonly kind: 'clarify'; readonly question: string; readonly intent: string };

const hasTool = (tools: readonly ToolSummary[], local: string): boolean => tools.some((t) => t.name.endsWith(`_${local}`));

/** Okta self-service words: only these make "someone else's" a question of whose account it is. */
const SELF_SERVICE = /\b(password|passwords|mfa|2fa|two[- ]factor|multi[- ]factor|authenticator|okta verify|locked|lock(?:ed)?\s+out|unlock|reset\s+(?:\w+\s+){0,2}account)\b/i;
/** Someone other than the requester: "grace's password", "for my colleague", "she is locked out". */
const OTHER_PERSON: readonly RegExp[] = [
  /\b([a-z][a-z-]+)'s\s+(?:okta\s+|work\s+|new\s+)?(?:password|account|mfa|2fa|login|authenticator|phone)\b/i,
  /\b(?:and|also|plus|or)\s+([a-z][a-z-]+)'s\b/i,
  /\b(?:unlock|reset)\s+(?!(?:my|me|myself|the|a|an|it|this|that|account|accounts|password|passwords|pw|pwd|mfa|2fa|okta|all|everything|please|pls|now|again|vpn|laptop|computer|phone|device|login|sso|factors?|authenticator|two|multi|your|our)\b)([a-z][a-z.-]+)\s*$/i,
  /\b(?:for|of)\s+(?:my\s+|our\s+|the\s+)?(?:new\s+)?(colleagues?|coworkers?|co-workers?|managers?|boss|teammates?|team\s?mates?|interns?|new hires?|hires|direct reports?|friends?|contractors?|users|everyone else)\b/i,
  /\b(?:for|unlock|reset)\s+(?!(?:Okta|Jira|Salesforce|ServiceNow|MFA|VPN|SSO|Please|Everyone)\b)([A-Z][a-z]+)\b/,
  /\b(?:she|he|they)\s+(?:is|are|'s|'re|got|has|have|was|were|can't|cannot|forgot|lost)\b/i,
  // "reset mfa for grace": names are often typed in lower case, so any "for <word>" that is not about the requester.
  /\b(?:reset|unlock|change|recover)\b.*\bfor\s+(?!(?:me|myself|my|mine|the|a|an|okta|this|that|it|now|today|work|real|good|all|both|please|pls|asap|security|reasons?|sso|vpn|email|outlook|jira|salesforce|servicenow|some|every|you|us|our|login|logging|laptop|phone|windows|mac|gmail|teams|slack|zoom)\b)([a-z][a-z-]{1,})\b/i,
  /\b(?:her|his|their)\s+(?:okta\s+)?(?:password|account|mfa|2fa|login|phone|authenticator)\b/i,
  /\b(?:the|a|our|my)\s+(?:new\s+)?(intern|new hire|contractor|colleague|coworker|manager|boss)\s+(?:can't|cannot|is|forgot|lost|needs)\b/i,
];

function aboutSomeoneElse(text: string): string | undefined {
  const unquoted = text.replace(/"[^"]*"/g, ' ');
  if (!SELF_SERVICE.test(unquoted)) return undefined;
  for (const re of OTHER_PERSON) {
    const match = re.exec(unquoted);
    if (!match) continue;
    const name = match[1];
    if (name && /^(my|your|our|the|this|that|okta|it|what|there|here|who|let|one|everyone)$/i.test(name)) continue;
    return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'they';
  }
  return undefined;
}

/** "add my colleague to the vpn-users group", "give grace access to Figma": access requests are the requester's own. */
function accessForSomeoneElse(text: string): string | undefined {
  if (!/\b(group|access|app|application)\b/i.test(text)) return undefined;
  const match = /\b(?:add|give|grant|put|get)\s+(?!(?:me|myself|us|access|it|the\s+\S+\s+group)\b)(?:my\s+|our\s+|the\s+)?(new\s+hire|[a-z][\w.-]*)\s+(?:to|into|in|access)\b/i.exec(text);
  if (!match?.[1] || /^(a|an|the|this|that|some|read|write|admin|full|vpn)$/i.test(match[1])) return undefined;
  const who = match[1].toLowerCase();
  return who === 'them' ? 'them' : /^(colleague|coworker|manager|boss|teammate|intern|contractor|new\s+hire|team)$/.test(who) ? `your ${who}` : who.charAt(0).toUpperCase() + who.slice(1);
}

const HELP = /^(?:hi|hello|hey)?[\s,]*(?:help|what can you do|what do you do|how can you help(?: me)?|what can i ask(?: you)?|what are you able to do|what (?:things )?can you help (?:me )?with)\s*\??$/i;

const CHANGE = /\b(make|set|change|bump|raise|lower|increase|decrease|escalate|upgrade|downgrade|update|edit|rename|retitle|reprioriti[sz]e|switch)\b/i;
const INCIDENT_FIELDS = /\b(p[1-5]|priority|prio|urgency|urgent|impact|sev(?:erity)?\s*[1-5]?|short description|description|title|assignment group|category|critical|high|low)\b/i;
const JIRA_FIELDS = /\b(priority|prio|labels?|due(?:\s+date)?|deadline|summary|title|description|story points|estimate|highest|blocker|critical)\b/i;

/** Employee-facing "I cannot do that here" for a change with no tool; never a silent substitute. */
function noTool(what: string, offer: string, intent: string): GuardResult {
  return { kind: 'answer', intent, text: `I can't ${what} from here yet, so I haven't changed anything. ${offer}` };
}

/**
 * Requests tier 0 must not turn into a plan: another person's account, a change no tool can make,
 * an assignee that is not a person. Checked on the whole request before any intent, so a read can
 * never stand in for a write that was asked for.
 */
export function guard(text: string, tools: readonly ToolSummary[]): GuardResult | undefined {
  return topicGuard(text, tools) ?? recordGuard(text, tools);
}

/** Whose account it is and what kind of thing is asked for: holds even for requests a model must plan. */
export function topicGuard(text: string, tools: readonly ToolSummary[]): GuardResult | undefined {
  if (HELP.test(text)) return { kind: 'answer', intent: 'help', text: TIER0_HELP };

  const grantee = accessForSomeoneElse(text);
  if (grantee) {
    return {
      kind: 'answer',
      intent: 'decline.access_for_other_person',
      text: `I can only request access for you, as you, so I haven't requested anything for ${grantee}. ${grantee === 'them' ? 'They' : grantee.charAt(0).toUpperCase() + grantee.slice(1)} can ask me directly, or their manager can raise it.`,
    };
  }
  const person = aboutSomeoneElse(text);
  if (person) {
    const who = person === 'they' ? 'they' : person;
    return {
      kind: 'answer',
      intent: 'decline.other_person',
      text: `I can only act on your own Okta account, as you, so I haven't changed anything for ${person === 'they' ? 'them' : person}. ${who === 'they' ? 'They' : who} can ask me directly, or contact the IT service desk; I can open an incident for the service desk if you tell me what is wrong.`,
    };
  }

  if (/\b(where|status|update|eta|progress|track|why|delayed|late|stuck|arrive|arrived|shipped)\b.*\b(my|the)\s+(?:\w+\s+)?(order|request(?:ed item)?|ritm|laptop|monitor|headset|equipment)\b|\bRITM\d+|\bREQ\d{7}\b/i.test(text) && !hasTool(tools, 'list_my_requests') && !/\b(access|group|app)\b/i.test(text)) {
    return noTool('look up the status of catalog orders (requested items)', 'I can search the service catalog, order an item, or open an incident if an order is stuck.', 'decline.servicenow_request_status');
  }
  return undefined;
}

/** Changes to a named record that no tool can make, and assignees that are not a person. */
function recordGuard(text: string, tools: readonly ToolSummary[]): GuardResult | undefined {
  const incident = incidentNumber(text);
  const key = jiraKey(text);
  if (incident && CHANGE.test(text) && INCIDENT_FIELDS.test(text) && !hasTool(tools, 'update_incident') && !/\b(comment|note)\b/i.test(text)) {
    return noTool(`change the priority, urgency or other fields of ${incident}`, `I can add a comment to ${incident} asking the service desk for the change, look it up, or resolve it.`, 'decline.servicenow_update');
  }
  if (incident && /\b(re-?open|reactivate)\b/i.test(text) && !hasTool(tools, 'reopen_incident')) {
    return noTool(`reopen ${incident}`, `I can add a comment to ${incident} saying the problem is back, or open a new incident.`, 'decline.servicenow_reopen');
  }
  const editsJira = (CHANGE.test(text) && JIRA_FIELDS.test(text)) || /\b(rename|retitle|relabel)\b|\b(add|remove|put)\s+(?:the\s+|a\s+)?labels?\b/i.test(text);
  if (key && !incident && editsJira && !/\b(comment|assign|status)\b/i.test(text) && !hasTool(tools, 'edit_issue')) {
    return noTool(`edit the fields of ${key}`, `I can comment on ${key}, assign it, or move it to another status.`, 'decline.jira_edit');
  }
  if (key && !incident && /\bwatch(?:ing)?\b/i.test(text) && !hasTool(tools, 'watch_issue')) {
    return noTool(`add you as a watcher on ${key}`, `I can look it up, comment on it, or assign it to you.`, 'decline.jira_watch');
  }
  if (key && /\b(assign|give|hand|pass|reassign)\b/i.test(text) && /\b(some(?:one|body)(?:\s+else)?|any(?:one|body)|another (?:person|dev(?:eloper)?|engineer)|a colleague|the right person|whoever)\b/i.test(text)) {
    return { kind: 'clarify', intent: 'jira.assign_issue', question: `Who should ${key} be assigned to? Give me a name or an email address.` };
  }
  if (/\b(remove|take|drop)\s+me\s+(?:out\s+)?(?:from|of)\b.*\bgroup\b|\bleave\s+the\b.*\bgroup\b/i.test(text) && !hasTool(tools, 'leave_group')) {
    return noTool('remove you from an Okta group', 'I can list your groups or request membership of another one.', 'decline.okta_leave_group');
  }
  if (/\b(close|update|edit|escalate|comment on)\b.*\b(salesforce|customer)\s+case\b|\bcase\s+\d{5,}\b.*\b(close|update|comment)\b/i.test(text) && !hasTool(tools, 'update_case')) {
    return noTool('change Salesforce cases', 'I can find cases for an account or open a new case.', 'decline.salesforce_case_update');
  }
  if (/\b(create|new|add|open|log)\b.*\b(opportunity|deal)\b/i.test(text) && !/\b(incident|ticket|jira|bug)\b/i.test(text) && !/\b(find|show|list|which|what|any)\b/i.test(text) && !hasTool(tools, 'create_opportunity')) {
    return noTool('create Salesforce opportunities', 'I can find opportunities or move one to another stage.', 'decline.salesforce_create_opportunity');
  }
  if (/\b(find|search|look\s*up|who is|contact details|phone number|email of)\b.*\bcontacts?\b/i.test(text) && !hasTool(tools, 'find_contacts')) {
    return noTool('search Salesforce contacts', 'I can find accounts, opportunities or cases.', 'decline.salesforce_contacts');
  }
  return undefined;
}
