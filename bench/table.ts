/** The one Markdown table the benchmark run prints, plus notes under it. */

export interface Row {
  benchmark: string;
  pileup: string;
  bare: string;
  /** Pileup relative to bare ws, stated the way the goal is. */
  ratio: string;
  goal: string;
  /** 'yes', 'no', or '—' where there is no goal. */
  met: string;
}

export interface BenchResult {
  rows: Row[];
  notes: string[];
}

export const NO_BASELINE = '—';

export function verdict(ok: boolean): string {
  return ok ? 'yes' : '**no**';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['Benchmark', 'Pileup', 'bare ws', 'Pileup vs bare', 'Goal', 'Met'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i >= 1 && i <= 3 ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const row of rows) {
    lines.push(`| ${[row.benchmark, row.pileup, row.bare, row.ratio, row.goal, row.met].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}
