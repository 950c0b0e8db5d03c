// The note's building blocks, format-neutral: titled pairs, tables and lines of cells that the table, Markdown and
// HTML renderers lay out. A type module of its own so the modules that build blocks and note.ts, which assembles
// them, import it without importing each other.
export type Align = 'left' | 'right';

export type NoteBlock =
  | { readonly kind: 'pairs'; readonly title: string; readonly rows: ReadonlyArray<readonly [string, string]> }
  | {
      readonly kind: 'table';
      readonly title: string;
      readonly head: readonly string[];
      readonly align: readonly Align[];
      readonly rows: ReadonlyArray<readonly string[]>;
      /** Lines the plain-text renderer prints instead of aligning the cells itself (a table another module owns). */
      readonly preformatted?: readonly string[];
    }
  | { readonly kind: 'lines'; readonly title: string; readonly lines: readonly string[] };
