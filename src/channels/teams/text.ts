import { inertText, oneLine } from '../../core/inertText.js';

/** Teams limits informative stream updates to 1000 characters and messages to about 28 KB. */
export const INFORMATIVE_MAX = 1000;
export const MESSAGE_MAX = 24_000;

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Foreign text (tool summaries, names, model output shown as labels) must not become markdown
 * links, mentions, formatting or extra lines in Teams (answers go through inertMessage).
 */
export function plain(text: string): string {
  return oneLine(inertText(text)).replace(/[\\`*_[\]<>#|~]/g, (ch) => `\\${ch}`);
}

/**
 * An Adaptive Card TextRun: never parsed as markdown, so foreign text needs only its links defanged
 * (clients still autolink bare URLs) and, unless it is a multi-line detail, its line breaks folded.
 */
export function textRun(text: string, style: { bold?: boolean; subtle?: boolean; multiline?: boolean } = {}): Record<string, unknown> {
  const safe = inertText(text);
  return {
    type: 'TextRun',
    text: style.multiline ? safe : oneLine(safe),
    ...(style.bold ? { weight: 'Bolder' } : {}),
    ...(style.subtle ? { isSubtle: true } : {}),
  };
}

/**
 * Teams message text (answers, notes) is markdown: emphasis and lists may stay, but no link,
 * autolink or inline HTML from data or a model survives as anything but text.
 */
export function inertMessage(text: string): string {
  return inertText(text).replace(/[[\]<>]/g, (ch) => `\\${ch}`);
}
