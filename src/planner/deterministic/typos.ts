/**
 * Spelling repair for the words tier 0 keys on, so "pasword", "incidnet" or "acct" read like the
 * words employees meant. Only the vocabulary below is corrected (never names or free text that is
 * not close to it), only words of five letters or more, with the first letter kept, at most one
 * edit (two for long words). Common words that happen to be one edit away are left alone.
 */
const VOCABULARY = [
  'password', 'passwords', 'incident', 'incidents', 'ticket', 'tickets', 'account', 'accounts', 'opportunity', 'opportunities',
  'comment', 'comments', 'assign', 'assigned', 'unlock', 'unlocked', 'locked', 'request', 'requests', 'access', 'group', 'groups',
  'reset', 'status', 'create', 'created', 'priority', 'project', 'issue', 'issues', 'salesforce', 'servicenow', 'catalog',
  'resolve', 'resolved', 'transition', 'authenticator', 'membership', 'application', 'applications', 'profile', 'forgot',
  'customer', 'customers', 'stage', 'negotiation', 'qualification', 'prospecting', 'pipeline', 'deals', 'service',
];

/** Short forms employees type, mapped to the word tier 0 knows. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  pw: 'password', pwd: 'password', passwd: 'password', pword: 'password', pswd: 'password', passwrd: 'password',
  acct: 'account', accnt: 'account', acc: 'account', tix: 'tickets', tkt: 'ticket', tkts: 'tickets',
  pls: 'please', plz: 'please', pleeease: 'please', thx: 'thanks', u: 'you', ur: 'your', sfdc: 'salesforce', opp: 'opportunity', opps: 'opportunities',
  oppty: 'opportunity', opptys: 'opportunities', grp: 'group', msg: 'message', cmt: 'comment', desc: 'description', asap: 'asap',
};

/** Four-letter keywords, repaired only for swapped letters ("opne", "jria"). */
const SHORT_WORDS = ['open', 'okta', 'jira', 'show', 'find', 'list', 'move', 'make', 'file', 'help', 'mine'];

const KEEP = new Set(['looked', 'locker', 'stages', 'staged', 'issued', 'accessed', 'assist', 'passed', 'passes', 'create', 'groupe', 'status', 'create', 'reseat', 'tickle', 'profit', 'account']);

/** Damerau–Levenshtein (optimal string alignment) distance, bounded: returns max+1 once exceeded. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    let best = max + 1;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

function repairWord(word: string): string {
  const lower = word.toLowerCase();
  const short = ABBREVIATIONS[lower];
  if (short && word !== word.toUpperCase()) return short;
  if (short && lower.length > 3) return short;
  if (lower.length === 4) return SHORT_WORDS.find((w) => w !== lower && [...w].sort().join('') === [...lower].sort().join('') && distance(lower, w, 1) <= 1) ?? word;
  if (lower.length < 5 || KEEP.has(lower) || VOCABULARY.includes(lower) || /[^a-z]/.test(lower)) return word;
  const max = lower.length >= 9 ? 2 : 1;
  let best: { word: string; d: number } | undefined;
  for (const candidate of VOCABULARY) {
    if (candidate[0] !== lower[0]) continue;
    // "projector" is not a misspelt "project": a longer word that merely starts with a keyword is another word.
    if (lower.startsWith(candidate)) continue;
    const d = distance(lower, candidate, max);
    if (d <= max && (!best || d < best.d)) best = { word: candidate, d };
  }
  return best?.word ?? word;
}

/** Repairs misspelt and abbreviated keywords; quoted spans are left exactly as written. */
export function repairTypos(text: string): string {
  return text
    .split(/("[^"]*")/)
    .map((part) => (part.startsWith('"') ? part : part.replace(/[A-Za-z]+/g, (word) => repairWord(word))))
    .join('');
}
