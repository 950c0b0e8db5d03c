// `--format md`: the same note as Markdown — a heading per month, the sentences, and a table per block.
import type { Note, NoteBlock } from './note.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

function table(
  head: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  align: ReadonlyArray<'left' | 'right'>,
): string[] {
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `|${head.map((_, i) => (align[i] === 'right' ? '---:' : ':---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function blockMd(b: NoteBlock): string[] {
  const title = `## ${b.title}`;
  switch (b.kind) {
    case 'pairs':
      return [title, '', ...table(['figure', 'value'], b.rows, ['left', 'left'])];
    case 'table':
      return [title, '', ...table(b.head, b.rows, b.align)];
    case 'lines':
      return [title, '', ...b.lines.map((l) => `- ${l}`)];
  }
}

export function noteMarkdown(n: Note): string {
  const lines = [`# ${n.title}`, '', ...n.sentences.map((s) => `- ${s}`)];
  for (const b of n.blocks) lines.push('', ...blockMd(b));
  return lines.join('\n');
}

export function renderMarkdown(notes: readonly Note[]): string {
  return `${notes.map(noteMarkdown).join('\n\n---\n\n')}\n`;
}
