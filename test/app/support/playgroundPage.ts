import type { Page } from 'playwright-core';

/** Picks `name` in the playground's person selector and waits until that person's event stream is live. */
export async function actAs(page: Page, name: string): Promise<void> {
  const value = await page.locator('[data-testid=person] option', { hasText: name }).getAttribute('value');
  await page.selectOption('[data-testid=person]', value!);
  await page.locator('[data-testid=stream-state]', { hasText: 'live' }).waitFor();
}
