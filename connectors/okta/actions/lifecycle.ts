import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { plural, quoteData, sentence } from '../../shared/summary.js';
import { oktaFactorSchema, resetPasswordTokenSchema } from '../schemas.js';
import { clientFor, noArgsSchema, readRequester, requesterOktaId, statusInWords, type OktaToolDeps } from './common.js';

type NoArgs = Record<string, never>;
const noArgs = noArgsSchema as z.ZodType<NoArgs>;

export const passwordResetOutputSchema = z.object({
  userId: z.string(),
  login: z.string(),
  status: z.string(),
  /** False when a reset was already pending and no second email was sent. */
  changed: z.boolean(),
  emailSent: z.boolean(),
});
export type PasswordResetOutput = z.infer<typeof passwordResetOutputSchema>;

export const unlockOutputSchema = z.object({ userId: z.string(), login: z.string(), status: z.string(), changed: z.boolean() });
export type UnlockOutput = z.infer<typeof unlockOutputSchema>;

export const mfaResetOutputSchema = z.object({ userId: z.string(), login: z.string(), factorsRemoved: z.number().int(), changed: z.boolean() });
export type MfaResetOutput = z.infer<typeof mfaResetOutputSchema>;

/** Statuses from which Okta's reset_password starts a recovery; reconcile cannot judge the others. */
const RESETTABLE = new Set(['ACTIVE', 'LOCKED_OUT', 'PASSWORD_EXPIRED']);

export function resetMyPasswordTool(deps: OktaToolDeps): ToolDefinition<NoArgs, PasswordResetOutput> {
  return defineTool<NoArgs, PasswordResetOutput>({
    name: 'reset_my_password',
    description: 'Start an Okta password reset for yourself: Okta emails you a reset link. Needs approval.',
    input: noArgs,
    output: passwordResetOutputSchema,
    risk: 'high',
    // Okta documents lifecycle operations as non-idempotent and takes no idempotency key; the status
    // guard and `reconcile` (RECOVERY means the reset happened) stand in for one.
    idempotent: false,
    scopes: ['okta.users.read.self'],
    describe: () => 'Reset your Okta password (Okta emails you a reset link)',
    summarize: (out) => {
      const login = quoteData(out.login, 60);
      if (!out.changed) return sentence(`Your Okta password reset for ${login} was already in progress, so no new email was sent: use the earlier link`);
      return out.emailSent
        ? sentence(`Your Okta password reset has started: Okta emailed you a reset link for ${login}`)
        : sentence(`Your Okta password reset for ${login} has started`);
    },
    // A reset already in progress: the earlier email's link still works, so nobody is asked again.
    async precheck(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const user = await readRequester(client, userId);
      return user.status === 'RECOVERY'
        ? { status: 'not_needed', output: { userId, login: user.profile.login, status: user.status, changed: false, emailSent: false } }
        : { status: 'needed' };
    },
    async execute(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const user = await readRequester(client, userId);
      if (user.status === 'RECOVERY') return { userId, login: user.profile.login, status: user.status, changed: false, emailSent: false };
      // Other states (SUSPENDED, STAGED...) go to Okta anyway, so the employee reads Okta's own refusal.
      await client.request({
        method: 'POST',
        path: `/api/v1/users/${encodeURIComponent(userId)}/lifecycle/reset_password`,
        query: { sendEmail: true },
        auth: 'service',
        schema: resetPasswordTokenSchema.optional(),
        idempotent: false,
      });
      return { userId, login: user.profile.login, status: 'RECOVERY', changed: true, emailSent: true };
    },
    async reconcile(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const user = await readRequester(client, userId);
      if (user.status === 'RECOVERY') return { status: 'applied', output: { userId, login: user.profile.login, status: user.status, changed: true, emailSent: true } };
      return RESETTABLE.has(user.status) ? { status: 'not_applied' } : { status: 'unknown' };
    },
  });
}

export function unlockMyAccountTool(deps: OktaToolDeps): ToolDefinition<NoArgs, UnlockOutput> {
  return defineTool<NoArgs, UnlockOutput>({
    name: 'unlock_my_account',
    description: 'Unlock your Okta account after too many failed sign-ins. Does nothing if you are not locked out. Needs approval.',
    input: noArgs,
    output: unlockOutputSchema,
    risk: 'high',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: () => 'Unlock your Okta account',
    summarize: (out) => {
      const login = quoteData(out.login, 60);
      if (out.changed) return sentence(`Your Okta account ${login} is unlocked: you can sign in again`);
      return out.status === 'ACTIVE'
        ? sentence(`Your Okta account ${login} was not locked, so nothing changed`)
        : sentence(`Your Okta account ${login} is not locked out (it is ${statusInWords(out.status)}), so nothing changed`);
    },
    // Not locked out: say so at once instead of asking an approver for an action that changes nothing.
    async precheck(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const user = await readRequester(client, userId);
      return user.status === 'LOCKED_OUT'
        ? { status: 'needed' }
        : { status: 'not_needed', output: { userId, login: user.profile.login, status: user.status, changed: false } };
    },
    async execute(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const user = await readRequester(client, userId);
      if (user.status !== 'LOCKED_OUT') return { userId, login: user.profile.login, status: user.status, changed: false };
      await client.request({ method: 'POST', path: `/api/v1/users/${encodeURIComponent(userId)}/lifecycle/unlock`, auth: 'service', idempotent: false });
      return { userId, login: user.profile.login, status: 'ACTIVE', changed: true };
    },
    async reconcile(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const user = await readRequester(client, userId);
      return user.status === 'LOCKED_OUT'
        ? { status: 'not_applied' }
        : { status: 'applied', output: { userId, login: user.profile.login, status: user.status, changed: true } };
    },
  });
}

export function resetMyMfaTool(deps: OktaToolDeps): ToolDefinition<NoArgs, MfaResetOutput> {
  return defineTool<NoArgs, MfaResetOutput>({
    name: 'reset_my_mfa',
    description: 'Remove all your enrolled Okta MFA factors (for a lost or replaced phone) so you can enrol again at next sign-in. Needs approval.',
    input: noArgs,
    output: mfaResetOutputSchema,
    risk: 'high',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: () => 'Reset your Okta MFA factors (you re-enrol at next sign-in)',
    summarize: (out) => {
      const login = quoteData(out.login, 60);
      if (!out.changed) return sentence(`Your Okta account ${login} had no MFA factors enrolled, so there was nothing to reset`);
      // A reconciled reset knows the factors are gone, not how many there were.
      const what = out.factorsRemoved > 0 ? `Okta removed the ${plural(out.factorsRemoved, 'MFA factor')} of ${login}` : `The Okta MFA factors of ${login} were reset`;
      return sentence(`${what}: you will enrol again at your next sign-in`);
    },
    // No factors enrolled: nothing to reset, so no approver is asked.
    async precheck(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const [user, factors] = await Promise.all([readRequester(client, userId), listFactors(client, userId)]);
      return factors.length > 0 ? { status: 'needed' } : { status: 'not_needed', output: { userId, login: user.profile.login, factorsRemoved: 0, changed: false } };
    },
    async execute(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const user = await readRequester(client, userId);
      const factors = await listFactors(client, userId);
      if (factors.length === 0) return { userId, login: user.profile.login, factorsRemoved: 0, changed: false };
      await client.request({ method: 'POST', path: `/api/v1/users/${encodeURIComponent(userId)}/lifecycle/reset_factors`, auth: 'service', idempotent: false });
      return { userId, login: user.profile.login, factorsRemoved: factors.length, changed: true };
    },
    async reconcile(ctx) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const [user, factors] = await Promise.all([readRequester(client, userId), listFactors(client, userId)]);
      return factors.length === 0
        ? { status: 'applied', output: { userId, login: user.profile.login, factorsRemoved: 0, changed: true } }
        : { status: 'not_applied' };
    },
  });
}

async function listFactors(client: ReturnType<typeof clientFor>, userId: string): Promise<z.infer<typeof oktaFactorSchema>[]> {
  const { data } = await client.request({ method: 'GET', path: `/api/v1/users/${encodeURIComponent(userId)}/factors`, auth: 'service', schema: z.array(oktaFactorSchema) });
  return data;
}
