import { mkdir } from 'node:fs/promises';
import { useProductInBrowser } from '../app/support/browserProduct.js';
import { actAs } from '../app/support/playgroundPage.js';

// The whole product in-process (real Postgres, sandboxes, deterministic planner, engine, web channel),
// driven through the playground in the system Chromium, as an employee and then as the approver.

const env = useProductInBrowser();

test('an employee asks for an Okta password reset, the approver approves, the reset happens once', async () => {
  const okta = env.product.app.sandboxes!.okta;
  const ada = okta.user('ada@acme.test');
  expect(okta.state.count('user.account.reset_password', ada.id)).toBe(0);

  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(env.product.url);
  await actAs(page, 'Ada Lovelace');

  await page.fill('[data-testid=message]', 'please reset my okta password');
  await page.click('[data-testid=send]');

  const run = page.locator('[data-testid=run]').last();
  await run.locator('[data-testid=plan] li', { hasText: 'Reset your Okta password' }).waitFor();
  await run.locator('[data-testid=run-note]', { hasText: 'Waiting for approval' }).waitFor();
  // The note comes with approval.requested; the status follows with the run's own status event.
  await run.locator('[data-testid=run-status]', { hasText: 'awaiting approval' }).waitFor();
  await expect(run.locator('[data-testid=run-status]').textContent()).resolves.toBe('awaiting approval');
  // The requester has nothing to approve.
  await expect(page.locator('[data-testid=approval-count]').textContent()).resolves.toBe('0');

  await actAs(page, 'Linus Torvalds');
  const card = page.locator('[data-testid=approval-card]', { hasText: 'Reset your Okta password' });
  await card.waitFor();
  await expect(card.textContent()).resolves.toContain('Ada Lovelace');
  await card.locator('[data-testid=approve]').click();
  await card.waitFor({ state: 'detached' });

  await actAs(page, 'Ada Lovelace');
  const answered = page.locator('[data-testid=run]').last();
  await answered.locator('[data-testid=run-status]', { hasText: 'completed' }).waitFor();
  await expect(answered.locator('[data-testid=answer]').textContent()).resolves.toContain('Your Okta password reset has started: Okta emailed you a reset link for “ada@acme.test”.');
  await answered.locator('[data-testid=run-note]', { hasText: 'Approved by Linus Torvalds' }).waitFor();
  await expect(page.locator('[data-testid=user-message]').last().textContent()).resolves.toBe('please reset my okta password');

  await mkdir('artifacts', { recursive: true });
  await page.screenshot({ path: 'artifacts/playground.png', fullPage: true });

  expect(okta.state.count('user.account.reset_password', ada.id)).toBe(1);
  expect(pageErrors).toEqual([]);
  await page.close();
});
