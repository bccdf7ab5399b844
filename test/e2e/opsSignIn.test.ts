import { useProductInBrowser } from '../app/support/browserProduct.js';
import { BREAK_GLASS } from '../app/support/signIn.js';

// Issue 10, deliverable 3: signing in to the operations view in a real browser (the system Chromium),
// by single sign-on against the Okta sandbox acting as the demo tenant's IdP, and by break-glass.

const env = useProductInBrowser({ timeoutMs: 120_000 });

test('an admin signs in with SSO through the Okta sandbox and lands in the operations view', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await page.goto(`${env.product.url}/ops`);
  await page.locator('[data-testid=sso-sign-in]', { hasText: 'Sign in to Acme Corporation with Okta sandbox' }).click();
  // The IdP's own page: pick the person to sign in as.
  await page.waitForURL((url) => url.href.startsWith(env.product.app.sandboxes!.okta.url));
  await page.locator('a', { hasText: 'Linus Torvalds' }).click();

  await page.waitForURL(`${env.product.url}/ops`);
  await expect(page.locator('[data-testid=signed-in-as]').textContent()).resolves.toContain('linus@acme.test · Acme Corporation');
  await page.locator('#view table').waitFor();

  const [session] = (await context.cookies(env.product.url)).filter((c) => c.name === 'sb_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  // The pending sign-in cookie is spent.
  expect((await context.cookies(`${env.product.url}/auth/sso/callback`)).some((c) => c.name === 'sb_sso')).toBe(false);

  await page.locator('button', { hasText: 'Sign out' }).click();
  await page.locator('[data-testid=sso-sign-in]').waitFor();
  expect(pageErrors).toEqual([]);
  await context.close();
});

test('someone who is not an administrator is told so; break-glass signs the admin in', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.product.url}/ops`);
  await page.locator('[data-testid=sso-sign-in]').click();
  await page.locator('a', { hasText: 'Ada Lovelace' }).click();
  await page.waitForURL(`${env.product.url}/ops`);
  await page.locator('#login-error', { hasText: 'ada@acme.test, who is not an administrator' }).waitFor();
  await page.locator('button', { hasText: 'Sign out' }).click();

  await page.locator('#break-glass summary').click();
  await page.fill('#email', BREAK_GLASS.email);
  await page.fill('#password', BREAK_GLASS.password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('[data-testid=signed-in-as]', { hasText: 'linus@acme.test' }).waitFor();
  await context.close();
});
