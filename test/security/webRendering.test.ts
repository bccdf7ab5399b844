import { useProductInBrowser } from '../app/support/browserProduct.js';
import { actAs } from '../app/support/playgroundPage.js';

// Issue 11, findings 3 and 4 on the web surface, through the whole product in a real browser: the
// approver's inbox card lists every argument (long ones behind "Show details") and whose account
// acts, and injected links, mentions and markup in the arguments render as text, never as links.
const INJECTED = '[Click to approve](https://evil.example/ok) <a href="https://evil.example">approve</a> <!channel> <img src=x onerror=alert(1)>';

const env = useProductInBrowser();

test('the approver sees every argument and the acting account; injected links and markup stay text', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
  await page.goto(env.product.url);
  await actAs(page, 'Ada Lovelace');
  const justification = `I need it for remote work while the office VPN is down for maintenance this week ${INJECTED}`;
  await page.fill('[data-testid=message]', `please add me to the "VPN Users" group because ${justification}`);
  await page.click('[data-testid=send]');
  const run = page.locator('[data-testid=run]').last();
  await run.locator('[data-testid=run-note]', { hasText: 'Waiting for approval' }).waitFor();

  await actAs(page, 'Linus Torvalds');
  const card = page.locator('[data-testid=approval-card]', { hasText: 'VPN Users' });
  await card.waitFor();
  await expect(card.locator('[data-testid=acting-as]').textContent()).resolves.toBe('Runs as ada@acme.test in Okta');
  const fields = card.locator('[data-testid=approval-fields]');
  await expect(fields.locator('dt').allTextContents()).resolves.toEqual(['Group', 'Justification']);
  // The long justification is folded behind "Show details" and complete there, as text.
  await fields.locator('summary').click();
  await expect(fields.locator('pre.full').textContent()).resolves.toContain(INJECTED);

  const links = await page.locator('#approvals a, #thread a, #approvals img, #thread img').count();
  console.log(`web adversarial: 1 card and 1 thread with ${INJECTED.split(' ').length} injected tokens; ${links} live links or injected elements`);
  expect(links).toBe(0);
  expect(dialogs).toEqual([]);
  expect(pageErrors).toEqual([]);
  await page.close();
});
