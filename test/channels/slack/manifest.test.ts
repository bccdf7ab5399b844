import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_DESCRIPTION, requiredBotScopes, SLACK_METHOD_SCOPES, subscribedEvents, SUGGESTED_PROMPTS } from '../../../src/channels/slack/index.js';

const root = join(import.meta.dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'manifest/slack/manifest.json'), 'utf8')) as {
  features: { agent_view: { agent_description: string; suggested_prompts: { title: string; message: string }[] }; app_home: { messages_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[]; request_url: string }; interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
};

/** Every Slack Web API method the adapter's source calls (client.a.b.c(...) and client.chatStream's three calls). */
function methodsCalledInSource(): string[] {
  const dir = join(root, 'src/channels/slack');
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const match of source.matchAll(/client\.((?:chat|users|assistant\.threads|views|auth|conversations|reactions)\.[a-zA-Z]+)\(/g)) found.add(match[1] as string);
    if (/\.chatStream\(/.test(source)) ['chat.startStream', 'chat.appendStream', 'chat.stopStream'].forEach((m) => found.add(m));
  }
  return [...found].sort();
}

function eventsListenedInSource(): string[] {
  const dir = join(root, 'src/channels/slack');
  const found = new Set<string>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const match of source.matchAll(/app\.event\('([a-z_]+)'/g)) found.add(match[1] as string);
  }
  return [...found].sort();
}

test('the scope table covers every Web API method the code calls', () => {
  const called = methodsCalledInSource();
  expect(called.length).toBeGreaterThan(5);
  for (const method of called) expect(Object.keys(SLACK_METHOD_SCOPES)).toContain(method);
});

test('the manifest asks for exactly the bot scopes the code needs', () => {
  expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(requiredBotScopes());
  for (const scope of ['chat:write', 'im:history', 'app_mentions:read', 'users:read', 'users:read.email', 'assistant:write']) expect(manifest.oauth_config.scopes.bot).toContain(scope);
});

test('the manifest subscribes to exactly the events the code listens for', () => {
  expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(subscribedEvents());
  const listened = eventsListenedInSource();
  // "message" listeners receive message.im / message.channels / message.groups.
  const expanded = listened.flatMap((event) => (event === 'message' ? ['message.channels', 'message.groups', 'message.im'] : [event])).sort();
  expect(expanded).toEqual(subscribedEvents());
});

test('agent view, interactivity and request URLs match the adapter', () => {
  expect(manifest.features.agent_view.suggested_prompts).toEqual(SUGGESTED_PROMPTS);
  expect(manifest.features.agent_view.agent_description).toBe(AGENT_DESCRIPTION);
  expect(manifest.features.agent_view.agent_description.length).toBeLessThanOrEqual(300);
  expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(new URL(manifest.settings.event_subscriptions.request_url).pathname).toBe('/slack/events');
  expect(new URL(manifest.settings.interactivity.request_url).pathname).toBe('/slack/events');
  expect(typeof manifest.settings.socket_mode_enabled).toBe('boolean');
});
