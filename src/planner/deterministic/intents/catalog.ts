import { cleanPhrase, quoted } from '../text.js';
import type { Intent, SlotResult } from '../types.js';

const VAGUE = /^(something|anything|stuff|an item|items?|one|it|things?)$/i;

function tidy(item: string | undefined): string | undefined {
  const cleaned = cleanPhrase(item?.replace(/\s+(?:from|in|on|off)\s+(?:the\s+)?(?:service\s+)?catalog(?:ue)?\b.*$/i, '').replace(/^(?:me|us)\s+/i, '').replace(/\s+for\s+(?:the|my|our|a|an)\s+.+$/i, '').replace(/^(?:a|an|the|some|another)\s+/i, '').replace(/\s+(?:for me|please|pls|ordered)$/i, ''));
  return cleaned && !VAGUE.test(cleaned) ? cleaned : undefined;
}

const ORDER_VERB = /\b(order|buy|purchase)\b(?!\s+(?:status|number))|\bput in an order\b|\bget\s+(?:me\s+)?an?\s+.+\s+ordered\b|\brequest\s+(?:a|an)\s+(?:new\s+)?.+\s+from\s+the\s+(?:service\s+)?catalog/i;

export const catalogIntents: readonly Intent[] = [
  {
    id: 'servicenow.search_catalog',
    connector: 'servicenow',
    tool: 'search_catalog',
    detect: (text) => (/\bcatalog(?:ue)?\b/i.test(text) && /\b(search|find|look|browse|what|which|is there|are there|show|list|any)\b|catalog(?:ue)?\s*:/i.test(text))
      || /^(?:what|which)\s+(?:\w+\s+){0,3}can\s+i\s+(?:order|get|request)\b/i.test(text),
    extract: (text): SlotResult => {
      const query = quoted(text)
        ?? tidy(/\bcatalog(?:ue)?\s*:\s*(.+)$/i.exec(text)?.[1])
        ?? tidy(/\bcatalog(?:ue)?\s+(?:items?\s+)?(?:for|about)\s+(?:an?\s+)?(.+)$/i.exec(text)?.[1])
        ?? tidy(/\b(?:search|find|look\s*up|look\s+for|browse)\s+(?:the\s+)?(?:service\s+)?(?:catalog(?:ue)?\s+)?(?:items\s+)?(?:for\s+)?(.+?)\s+(?:in|on)\s+the\s+(?:service\s+)?catalog/i.exec(text)?.[1])
        ?? tidy(/\bis\s+there\s+(?:a|an|any)\s+(.+?)\s+in\s+the\s+(?:service\s+)?catalog/i.exec(text)?.[1])
        ?? tidy(/^(?:what|which)\s+(.+?)\s+can\s+i\s+(?:order|get|request)\b/i.exec(text)?.[1])
        ?? tidy(/\bcan\s+i\s+order\b.*?\bfor\s+(?:an?\s+)?(.+)$/i.exec(text)?.[1]);
      if (!query) return { missing: 'What should I look for in the service catalog? For example "laptop" or "headset".' };
      return { args: { query }, title: `Search the catalog for ${query}` };
    },
  },
  {
    id: 'servicenow.order_catalog_item',
    connector: 'servicenow',
    tool: 'order_catalog_item',
    detect: (text) => ORDER_VERB.test(text) && !/\b(my|the)\s+(?:\w+\s+)?order\b|\border\s+(?:shipped|arrived|status)\b|\border\s+(?:of|status)\b|\bin order to\b/i.test(text),
    extract: (text): SlotResult => {
      const quantity = Number(/\b(?:order|buy|purchase)\s+(?:me\s+)?(\d{1,2})\b/i.exec(text)?.[1] ?? /\bx\s?(\d{1,2})\b/i.exec(text)?.[1] ?? NaN);
      const item = quoted(text)
        ?? tidy(/\bget\s+(?:me\s+)?(?:an?\s+)(.+?)\s+ordered\b/i.exec(text)?.[1])
        ?? tidy(/\brequest\s+(?:a|an)\s+(?:new\s+)?(.+?)\s+from\s+the\s+(?:service\s+)?catalog/i.exec(text)?.[1])
        ?? tidy(/\border\s+for\s+(?:an?\s+)?(.+)$/i.exec(text)?.[1])
        ?? tidy(/\b(?:order|buy|purchase)\s+(?:me\s+|us\s+)?(?:\d{1,2}\s+)?(?:a\s+|an\s+)?(?:new\s+|replacement\s+)?(.+)$/i.exec(text)?.[1]?.replace(/\?+$/, ''));
      if (!item) return { missing: 'Which catalog item should I order? A name like "Standard Laptop" is enough.' };
      const singular = Number.isInteger(quantity) && quantity > 1 ? item.replace(/(?<=[^s])s$/i, '').replace(/(ch|sh|x)e$/i, '$1') : item;
      return { args: { item: singular, ...(Number.isInteger(quantity) && quantity > 1 ? { quantity } : {}) }, title: `Order ${Number.isInteger(quantity) && quantity > 1 ? `${quantity} × ` : ''}${singular}` };
    },
  },
];
