import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { day, fit, MAX_SENTENCE, quoteData } from '../../shared/summary.js';
import { oktaUserSchema } from '../schemas.js';
import { clientFor, noArgsSchema, statusInWords, type OktaToolDeps } from './common.js';

export const profileOutputSchema = z.object({
  userId: z.string(),
  login: z.string(),
  email: z.string().optional(),
  displayName: z.string(),
  title: z.string().optional(),
  department: z.string().optional(),
  status: z.string(),
  lockedOut: z.boolean(),
  lastLogin: z.string().optional(),
  passwordChanged: z.string().optional(),
});
export type ProfileOutput = z.infer<typeof profileOutputSchema>;

function summarizeProfile(out: ProfileOutput): string {
  const login = quoteData(out.login, 60);
  const status = statusInWords(out.status);
  const who = [out.displayName !== out.login ? quoteData(out.displayName, 40) : undefined, out.title ? quoteData(out.title, 40) : undefined].filter(Boolean).join(', ');
  const lastLogin = day(out.lastLogin);
  const withWho = `Your Okta account ${login} (${who}) is ${status}`;
  // Name and title are the first details to go when the sentence runs long; the status never is.
  const core = who && withWho.length <= MAX_SENTENCE - 1 ? withWho : `Your Okta account ${login} is ${status}`;
  return fit(core, lastLogin ? `; last sign-in ${lastLogin}` : undefined);
}

export function getMyProfileTool(deps: OktaToolDeps): ToolDefinition<Record<string, never>, ProfileOutput> {
  return defineTool({
    name: 'get_my_profile',
    description: 'Show your own Okta profile and account status (active, locked out, password expired...).',
    input: noArgsSchema as z.ZodType<Record<string, never>>,
    output: profileOutputSchema,
    risk: 'read',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: () => 'Read your Okta profile',
    summarize: summarizeProfile,
    async execute(ctx) {
      // `me` with the employee's own OAuth token is that employee (with an SSWS token it would be the token's admin).
      const { data: user } = await clientFor(ctx, deps).request({ method: 'GET', path: '/api/v1/users/me', auth: 'user', schema: oktaUserSchema });
      const p = user.profile;
      return {
        userId: user.id,
        login: p.login,
        ...(p.email ? { email: p.email } : {}),
        displayName: [p.firstName, p.lastName].filter(Boolean).join(' ') || p.login,
        ...(p.title ? { title: p.title } : {}),
        ...(p.department ? { department: p.department } : {}),
        status: user.status,
        lockedOut: user.status === 'LOCKED_OUT',
        ...(user.lastLogin ? { lastLogin: user.lastLogin } : {}),
        ...(user.passwordChanged ? { passwordChanged: user.passwordChanged } : {}),
      };
    },
  });
}
