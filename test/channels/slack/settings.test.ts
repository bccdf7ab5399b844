import { slackSettingsFromEnv } from '../../../src/channels/slack/index.js';
import { escapeMrkdwn, inlineMrkdwn, splitForSlack } from '../../../src/channels/slack/mrkdwn.js';

describe('slackSettingsFromEnv', () => {
  test('no Slack variables means Slack is off', () => {
    expect(slackSettingsFromEnv({})).toBeNull();
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: ' ' })).toBeNull();
  });

  test('the mode follows the credentials present', () => {
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_TENANT_ID: 'acme', SLACK_API_URL: 'http://127.0.0.1:9/api/' })).toMatchObject({ mode: 'single', tenantId: 'acme', apiUrl: 'http://127.0.0.1:9/api/', minEditIntervalMs: 1000 });
    expect(slackSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).toMatchObject({ mode: 'socket', appToken: 'xapp-1' });
    expect(slackSettingsFromEnv({ SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 'x', SLACK_STATE_SECRET: 'st', SLACK_SIGNING_SECRET: 's' })).toMatchObject({ mode: 'multi', oauth: { clientId: 'c' } });
  });

  test('incomplete settings are refused with a message naming what is missing (and no secret values)', () => {
    expect(() => slackSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-secret-value' })).toThrow(/SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET/);
    expect(() => slackSettingsFromEnv({ SLACK_CLIENT_ID: 'c' })).toThrow(/SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_SIGNING_SECRET/);
    expect(() => slackSettingsFromEnv({ SLACK_APP_TOKEN: 'xapp-1' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => slackSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-secret-value', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'not a url' })).toThrow(/SLACK_API_URL/);
    try {
      slackSettingsFromEnv({ SLACK_BOT_TOKEN: 'xoxb-secret-value' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('xoxb-secret-value');
    }
  });
});

describe('mrkdwn', () => {
  test('escapes control characters, and formatting from data becomes look-alike text (issue 11, finding 3)', () => {
    expect(escapeMrkdwn('<!channel> & <@U1> *bold* _it_ ~gone~ `code`')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; ＊bold＊ ＿it＿ ～gone～ ｀code｀');
    expect(escapeMrkdwn('line one\n> quoted *Risk*')).toBe('line one\n＞ quoted ＊Risk＊');
    expect(inlineMrkdwn('a\n*Approved by*\nboss')).toBe('a ＊Approved by＊ boss');
    expect(escapeMrkdwn('open [this](https://evil.example/x) or www.evil.example')).toBe('open [this] (https[:]//evil[.]example/x) or www[.]evil[.]example');
    expect(escapeMrkdwn('bell\u0007 and \u202Eoverride')).toBe('bell and override');
  });

  test('splits at boundaries, within the limit, without cutting an entity', () => {
    const text = `${'a'.repeat(97)}&amp;${'b'.repeat(200)}\n\nshort tail`;
    const pieces = splitForSlack(text, 100);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(100);
    for (const piece of pieces) expect(piece).not.toMatch(/&am?p?$|&l?t?$|&g?t?$/);
    expect(pieces.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });
});
