import { z } from 'zod';
import type { App } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import { homeView, SUGGESTED_PROMPTS } from './homeView.js';

const appHomeOpenedSchema = z.object({ user: z.string(), channel: z.string().optional(), tab: z.string() });
const threadStartedSchema = z.object({
  assistant_thread: z.object({ user_id: z.string(), channel_id: z.string(), thread_ts: z.string() }),
});

const prompts = (): { title: string; message: string }[] => SUGGESTED_PROMPTS.map((prompt) => ({ ...prompt }));

/**
 * Onboarding surfaces: the Home tab view, suggested prompts when the agent's Messages tab opens
 * (agent_view, no thread) and when a legacy assistant thread starts.
 */
export function registerHomeHandlers(app: App, logger: Logger): void {
  app.event('app_home_opened', async ({ event, client }) => {
    const parsed = appHomeOpenedSchema.safeParse(event);
    if (!parsed.success) return;
    try {
      if (parsed.data.tab === 'home') {
        await client.views.publish({ user_id: parsed.data.user, view: homeView() });
      } else if (parsed.data.tab === 'messages' && parsed.data.channel) {
        await client.assistant.threads.setSuggestedPrompts({ channel_id: parsed.data.channel, prompts: prompts() });
      }
    } catch (error) {
      logger.warn({ err: error, tab: parsed.data.tab }, 'slack home surface update failed');
    }
  });

  app.event('assistant_thread_started', async ({ event, client }) => {
    const parsed = threadStartedSchema.safeParse(event);
    if (!parsed.success) return;
    const thread = parsed.data.assistant_thread;
    try {
      await client.assistant.threads.setSuggestedPrompts({ channel_id: thread.channel_id, thread_ts: thread.thread_ts, prompts: prompts() });
    } catch (error) {
      logger.warn({ err: error }, 'slack suggested prompts failed');
    }
  });
}
