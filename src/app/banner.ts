/** The one tidy block `npm start` prints: what runs where, and how to reach it. */
export interface BannerFacts {
  readonly url: string;
  /** "embedded (…)" or "deployed (DATABASE_URL, …)": which doors are open follows from it. */
  readonly posture: string;
  readonly database: string;
  readonly cache: string;
  readonly queue: string;
  readonly planner: string;
  readonly tenants: readonly string[];
  readonly sandboxes?: Readonly<Record<string, string>>;
  readonly autolink?: string;
  readonly slack: string;
  readonly teams: string;
  readonly playground: 'demo' | 'signed-in' | 'off';
  /** How each tenant's administrators sign in to /ops (SSO, break-glass), one line per tenant. */
  readonly signIn: readonly string[];
  readonly startupMs: number;
}

export function renderBanner(facts: BannerFacts): string {
  const rows: [string, string][] = [];
  rows.push(['Posture', facts.posture]);
  if (facts.playground === 'demo') rows.push(['Playground', facts.url]);
  else if (facts.playground === 'signed-in') rows.push(['Playground', `${facts.url}  (acts only as the signed-in person)`]);
  else rows.push(['Playground', 'off (set PLAYGROUND=true to serve it to signed-in people)']);
  rows.push(['Operations', `${facts.url}/ops`]);
  for (const line of facts.signIn) rows.push(['  sign in', line]);
  rows.push(['Health', `${facts.url}/healthz  ${facts.url}/readyz  ${facts.url}/metrics`]);
  rows.push(['Database', facts.database]);
  rows.push(['Cache', facts.cache]);
  rows.push(['Queue', facts.queue]);
  rows.push(['Planner', facts.planner]);
  rows.push(['Tenants', facts.tenants.join(', ')]);
  for (const [kind, url] of Object.entries(facts.sandboxes ?? {})) rows.push([`Sandbox ${kind}`, url]);
  if (facts.autolink) rows.push(['Demo accounts', facts.autolink]);
  rows.push(['Slack', facts.slack]);
  rows.push(['Teams', facts.teams]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  const title = `Switchboard is up in ${(facts.startupMs / 1000).toFixed(1)} s`;
  const rule = '─'.repeat(Math.max(title.length, ...lines.map((l) => l.length)) + 2);
  return `\n${rule}\n ${title}\n${rule}\n${lines.join('\n')}\n${rule}\n Press Ctrl+C to stop.\n`;
}
