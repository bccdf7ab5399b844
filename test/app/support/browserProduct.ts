import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/chromium.js';
import { startProduct, type RunningProduct } from './product.js';

/** The whole product and the system Chromium, for a file of tests driven in a real browser. */
export interface ProductInBrowser {
  readonly product: RunningProduct;
  readonly browser: Browser;
}

/**
 * Launches Chromium (first, so a missing browser fails before the product starts) and the product
 * before the file's tests, and closes both after them; the fields are set by beforeAll.
 */
export function useProductInBrowser(options: { timeoutMs?: number } = {}): ProductInBrowser {
  const state = {} as { product: RunningProduct; browser: Browser };
  beforeAll(async () => {
    state.browser = await launchChromium();
    state.product = await startProduct();
  }, options.timeoutMs);
  afterAll(async () => {
    await state.browser?.close();
    await state.product?.close();
  });
  return state;
}
