/** Teams limits informative stream updates to 1000 characters and messages to about 28 KB. */
export const INFORMATIVE_MAX = 1000;
export const MESSAGE_MAX = 24_000;

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Foreign text (tool summaries, names, model output shown as labels) must not become markdown
 * links, mentions or formatting in Teams; the streamed answer itself is left as written.
 */
export function plain(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, (ch) => `\\${ch}`);
}
