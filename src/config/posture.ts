import type { Env } from './env.js';

/**
 * Embedded: `npm start` on a laptop with nothing configured, where the demo is the point.
 * Deployed: anything that looks like a real installation, where nothing may be reachable without
 * authentication.
 */
export type PostureKind = 'embedded' | 'deployed';

/** How the playground identifies the person it acts as. */
export type PlaygroundMode =
  /** Pick any person of the demo tenant (embedded only). */
  | 'demo'
  /** Only the person signed in to the operations view, never an id from the request. */
  | 'signed-in'
  | 'off';

export interface Posture {
  readonly kind: PostureKind;
  /** Why the posture is what it is, for the banner ("DATABASE_URL, Slack credentials"). */
  readonly reasons: readonly string[];
  /** Where the HTTP server binds; loopback in the embedded posture unless HOST says otherwise. */
  readonly host: string;
  readonly playground: PlaygroundMode;
  /** Teams without Bot Framework credentials (no JWT check): only embedded. */
  readonly anonymousTeams: boolean;
  /** Unmapped Slack workspaces / Entra tenants fall back to the only tenant: only embedded. */
  readonly defaultTenantFallback: boolean;
}

const LOOPBACK = '127.0.0.1';
const EVERY_INTERFACE = '0.0.0.0';

/**
 * The posture follows from the environment, not from NODE_ENV alone: a database, chat credentials
 * or NODE_ENV=production each mean real people's data may be behind this process. SWITCHBOARD_POSTURE
 * states it explicitly (env.ts refuses "embedded" in production).
 */
export function postureOf(env: Env, overrides: { playground?: boolean; host?: string } = {}): Posture {
  const reasons = deployedBecause(env);
  const kind: PostureKind = env.SWITCHBOARD_POSTURE ?? (reasons.length > 0 ? 'deployed' : 'embedded');
  const playgroundWanted = overrides.playground ?? env.PLAYGROUND ?? kind === 'embedded';
  return {
    kind,
    reasons: env.SWITCHBOARD_POSTURE ? ['SWITCHBOARD_POSTURE'] : reasons,
    host: overrides.host ?? env.HOST ?? (kind === 'embedded' ? LOOPBACK : EVERY_INTERFACE),
    playground: !playgroundWanted ? 'off' : kind === 'embedded' ? 'demo' : 'signed-in',
    anonymousTeams: kind === 'embedded' && env.MICROSOFT_APP_ID === undefined,
    defaultTenantFallback: kind === 'embedded',
  };
}

function deployedBecause(env: Env): string[] {
  const reasons: string[] = [];
  if (env.NODE_ENV === 'production') reasons.push('NODE_ENV=production');
  if (env.DATABASE_URL !== undefined) reasons.push('DATABASE_URL');
  if ([env.SLACK_BOT_TOKEN, env.SLACK_SIGNING_SECRET, env.SLACK_APP_TOKEN, env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET].some((v) => v !== undefined)) reasons.push('Slack credentials');
  if (env.MICROSOFT_APP_ID !== undefined || env.MICROSOFT_APP_PASSWORD !== undefined) reasons.push('Microsoft credentials');
  return reasons;
}

/** One line for the startup banner. */
export function describePosture(posture: Posture): string {
  if (posture.kind === 'embedded') return `embedded (local demo, listening on ${posture.host}; set HOST to change)`;
  return `deployed (${posture.reasons.join(', ')})`;
}
