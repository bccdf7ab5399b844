/**
 * Text that did not come from the product itself (tool arguments and output, names, model answers,
 * justifications) must never become a live link, mention or fake layout on any chat surface. These
 * helpers are format-neutral; each channel adds its own escaping on top.
 */

/** Control characters and bidi overrides: they can hide or reorder text a person reads. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

export function stripInvisible(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '');
}

/** Anything with a URL scheme, or starting with www. */
const SCHEMED = /\b([a-z][a-z0-9+.-]{1,15}):\/\/([^\s<>()[\]|"'`]+)/gi;
const WWW = /\bwww\.([^\s<>()[\]|"'`]+)/gi;
/** Bare host names clients autolink ("evil.com/login"): a known TLD, not part of an e-mail address. */
const BARE_HOST = /(?<![@\w.-])((?:[a-z0-9-]+\.)+(?:com|net|org|io|co|app|dev|ai|example|info|biz|xyz|me|link|ly|us|uk|de|site|online|page|sh|to|gg|cc))(?![\w-])/gi;

function defangHost(rest: string): string {
  return rest.replace(/\./g, '[.]');
}

/**
 * Defangs URLs ("https[:]//evil[.]example") so no client autolinks them, and breaks markdown
 * link syntax (`[label](target)`) so the label can never carry a hidden target. The text stays
 * readable: an employee can still copy a link by hand.
 */
export function inertLinks(text: string): string {
  return text
    .replace(SCHEMED, (_m, scheme: string, rest: string) => `${scheme}[:]//${defangHost(rest)}`)
    .replace(WWW, (_m, rest: string) => `www[.]${defangHost(rest)}`)
    .replace(BARE_HOST, (host: string) => defangHost(host))
    .replace(/\]\s*\(/g, '] (');
}

/** Both of the above: what every surface applies to untrusted text before its own escaping. */
export function inertText(text: string): string {
  return inertLinks(stripInvisible(text));
}

/** Collapses line breaks: a value shown inline must not start new lines that look like card fields. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/[ \t]{2,}/g, ' ');
}

/**
 * Streamed text arrives in arbitrary pieces, so a link can be split across two of them and escape
 * a per-piece check. This holds back the unfinished last word until the next piece (or the end).
 */
export class InertStream {
  private held = '';

  /** The text that is safe to neutralise and send now; may be empty. */
  push(piece: string): string {
    const text = this.held + piece;
    const cut = Math.max(text.lastIndexOf(' '), text.lastIndexOf('\n'), text.lastIndexOf('\t'));
    if (cut < 0) {
      this.held = text;
      return '';
    }
    this.held = text.slice(cut + 1);
    return text.slice(0, cut + 1);
  }

  /** Whatever is still held back, at the end of the stream. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}
