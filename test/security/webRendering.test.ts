import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startProduct, type RunningProduct } from '../app/support/product.js';

// Issue 11, findings 3 and 4 on the web surface, through the whole product in a real browser: the
// approver's inbox card lists every argument (long ones behind "Show details") and whose account
// acts, and injected links, mentions and markup in the arguments render as text, never as links.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INJECTED = '[Click to approve](https://evil.example/ok) <a href="https://evil.example">approve</a> <!channel> <img src=x onerror=alert(1)>';

let product: RunningProduct;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}. Install it with "apt-get install -y chromium" (never "npx playwright install"), or set CHROMIUM_PATH.`);
  }
  product = await startProduct();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});

afterAll(async () => {
  await browser?.close();
  await product?.close();
});

async function actAs(page: Page, name: string): Promise<void> {
  const value = await page.locator('[data-testid=person] option', { hasText: name }).getAttribute('value');
  await page.selectOption('[data-testid=person]', value!);
  await page.locator('[data-testid=stream-state]', { hasText: 'live' }).waitFor();
}

test('the approver sees every argument and the acting account; injected links and markup stay text', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
  await page.goto(product.url);
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
