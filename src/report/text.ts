// `--format table`: the note as aligned plain text for a terminal — sentences first, then the figure blocks.
import type { Align, Note, NoteBlock } from './note.js';

function pad(s: string, width: number, align: Align): string {
  return align === 'right' ? s.padStart(width) : s.padEnd(width);
}

export function alignRows(
  head: readonly string[] | null,
  rows: ReadonlyArray<readonly string[]>,
  align: readonly Align[],
): string[] {
  const all = head ? [head, ...rows] : rows;
  const widths = (all[0] ?? []).map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map(
    (r) =>
      `  ${r
        .map((c, i) => pad(c, widths[i] ?? 0, align[i] ?? 'left'))
        .join('  ')
        .trimEnd()}`,
  );
}

function blockLines(b: NoteBlock): string[] {
  switch (b.kind) {
    case 'pairs':
      return [b.title, ...alignRows(null, b.rows, ['left', 'left'])];
    case 'table':
      return [b.title, ...(b.preformatted ?? alignRows(b.head, b.rows, b.align))];
    case 'lines':
      return [b.title, ...b.lines.map((l) => `  - ${l}`)];
  }
}

export function noteText(n: Note): string {
  const lines = [n.title, '', ...n.sentences];
  for (const b of n.blocks) lines.push('', ...blockLines(b));
  return lines.join('\n');
}

export function renderText(notes: readonly Note[]): string {
  return `${notes.map(noteText).join(`\n\n${'─'.repeat(72)}\n\n`)}\n`;
}
