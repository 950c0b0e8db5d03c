// The month's difficulty retargets: the sentence and the table.
import type { Retarget } from '../metrics/note-data.js';
import { monthName } from '../time.js';
import type { NoteBlock } from './blocks.js';
import { fmtDifficulty, fmtNum, fmtPct } from './format.js';

export function retargetSentence(month: string, retargets: readonly Retarget[]): string {
  if (retargets.length === 0) return `No difficulty retarget in ${monthName(month)}.`;
  const list = retargets.map((t) => `${t.date} at height ${fmtNum(t.height)} (${fmtPct(t.change_pct, 2)})`);
  return `Difficulty retargets in ${monthName(month)}: ${list.join(', ')}.`;
}

export function retargetsBlock(retargets: readonly Retarget[]): NoteBlock {
  return {
    kind: 'table',
    title: 'Difficulty retargets',
    head: ['date', 'height', 'difficulty', 'change'],
    align: ['left', 'right', 'right', 'right'],
    rows: retargets.map((t) => [t.date, fmtNum(t.height), fmtDifficulty(t.difficulty), fmtPct(t.change_pct, 2)]),
  };
}
