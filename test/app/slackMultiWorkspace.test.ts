import { startProduct, type RunningProduct } from './support/product.js';

// The composition root wires multi-workspace Slack (OAuth install flow + the Postgres installation
// store) when SLACK_CLIENT_ID/SECRET are set; the flow itself is covered in test/channels/slack.
let product: RunningProduct;

beforeAll(async () => {
  product = await startProduct({
    env: { SLACK_CLIENT_ID: '111.222', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret-xyz', SLACK_SIGNING_SECRET: 'signing-secret' },
  });
});

afterAll(async () => {
  await product?.close();
});

test('multi-workspace Slack serves the install page and names the mode in the banner', async () => {
  const install = await fetch(`${product.url}/slack/install`, { redirect: 'manual' });
  expect(install.status).toBe(200);
  expect(await install.text()).toMatch(/slack\.com\/oauth\/v2\/authorize\?[^"]*client_id=111\.222/);
  expect(product.app.banner).toMatch(/Slack\s+on \(multi\)/);
});

test('an unsigned event is refused with 401', async () => {
  const unsigned = await fetch(`${product.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(unsigned.status).toBe(401);
});
