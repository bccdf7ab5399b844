/**
 * Atlassian Document Format, the only thing Jira v3 accepts in `description` and comment bodies.
 * Employees and the model write plain text; paragraphs split on blank lines, single newlines become hard breaks.
 */
export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
  attrs?: Record<string, unknown>;
}

export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

export function textToAdf(text: string): AdfDocument {
  const paragraphs = text.replace(/\r\n/g, '\n').split(/\n{2,}/).map((p) => p.trim()).filter((p) => p.length > 0);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => ({
      type: 'paragraph',
      content: paragraph.split('\n').flatMap((line, i): AdfNode[] => {
        const breakBefore: AdfNode[] = i === 0 ? [] : [{ type: 'hardBreak' }];
        return line ? [...breakBefore, { type: 'text', text: line }] : breakBefore;
      }),
    })),
  };
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'panel', 'rule']);

/** Flattens ADF to readable text for tool outputs (which the model then sees as data). */
export function adfToText(node: unknown): string {
  if (node === null || node === undefined) return '';
  if (typeof node === 'string') return node;
  if (typeof node !== 'object') return '';
  const { type, text, content } = node as { type?: unknown; text?: unknown; content?: unknown };
  if (type === 'text' && typeof text === 'string') return text;
  if (type === 'hardBreak') return '\n';
  const inner = Array.isArray(content) ? content.map(adfToText).join('') : '';
  return typeof type === 'string' && BLOCKS.has(type) ? `${inner}\n` : type === 'doc' ? inner.trimEnd() : inner;
}
