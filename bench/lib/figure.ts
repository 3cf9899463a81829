/**
 * A figure of the benchmark report: anywire's rows, the peers' rows, and the goals that relate
 * them. Benchmarks produce figures; the table, the chart and docs/benchmarks.md render them.
 */

import { formatBytes, formatDelta, formatRate, formatRatio, markdownTable } from './format.js';
import { median } from './stats.js';

/** A goal anywire must meet, read against one row. */
export interface Goal {
  /**
   * `ratio`: anywire ÷ this peer; `delta`: anywire − this peer (bytes); `absolute`: this anywire
   * row's own value.
   */
  kind: 'ratio' | 'delta' | 'absolute';
  op: '>=' | '<=';
  target: number;
  /** As written in the issue, e.g. `≥ 0.9×`. */
  text: string;
}

/** One client (or bundle) in a figure. */
export interface Row {
  id: string;
  label: string;
  /** True for anywire's own rows. */
  anywire?: boolean;
  /** Every measured sample; the figure shows their median. Empty or absent: not measured. */
  samples?: number[];
  /** CPU µs per message of every sample (throughput figures with {@link Figure.cpu}). */
  cpu?: number[];
  /** Why there is no value, or a remark about the row. */
  note?: string;
  /** For a peer: the id of the anywire row it is compared with. */
  versus?: string;
  /** The goal read against this row (see {@link Goal.kind}). */
  goal?: Goal;
  /**
   * How "anywire vs it" reads for a peer without a goal: anywire ÷ it (`ratio`, the default) or
   * anywire − it (`delta`, bytes). A goal's kind decides it when there is one.
   */
  compare?: 'ratio' | 'delta';
  /** Reference rows are shown for context and carry no goal. */
  reference?: boolean;
}

/** A figure: one table of the report, one panel of the chart. */
export interface Figure {
  id: string;
  title: string;
  unit: 'bytes' | 'rate';
  /** Which direction is better, for the chart's caption. */
  better: 'higher' | 'lower';
  rows: Row[];
  /** How the figure was measured, printed under its table. */
  notes: string[];
  /** Set on throughput figures that also measure CPU time: the header of that column, e.g. `CPU µs/event`. */
  cpu?: string;
}

/** Whether a goal is met: true, false, or undefined when a side is missing. */
export type Verdict = boolean | undefined;

/** The median of a row, or undefined when it has no samples. */
export function medianOf(row: Row | undefined): number | undefined {
  return row?.samples !== undefined && row.samples.length > 0 ? median(row.samples) : undefined;
}

/** Formats a value in the figure's unit. */
export function formatValue(figure: Figure, value: number): string {
  return figure.unit === 'bytes' ? formatBytes(value) : formatRate(value);
}

function anywireRowOf(figure: Figure, row: Row): Row | undefined {
  if (row.anywire === true) return row;
  return figure.rows.find((r) => r.id === row.versus);
}

/** anywire's relation to a peer row (ratio for rates, difference for bytes when the goal says so). */
export function relationOf(figure: Figure, row: Row): { value: number; text: string } | undefined {
  if (row.anywire === true) return undefined;
  const mine = medianOf(anywireRowOf(figure, row));
  const theirs = medianOf(row);
  if (mine === undefined || theirs === undefined) return undefined;
  const delta = row.goal === undefined ? row.compare === 'delta' : row.goal.kind === 'delta';
  if (delta) return { value: mine - theirs, text: formatDelta(mine - theirs) };
  return { value: mine / theirs, text: formatRatio(mine / theirs) };
}

/** Whether the row's goal is met. */
export function verdictOf(figure: Figure, row: Row): Verdict {
  const goal = row.goal;
  if (goal === undefined) return undefined;
  const measured = goal.kind === 'absolute' ? medianOf(row) : relationOf(figure, row)?.value;
  if (measured === undefined) return undefined;
  return goal.op === '>=' ? measured >= goal.target : measured <= goal.target;
}

function verdictText(figure: Figure, row: Row): string {
  if (row.goal === undefined) return '';
  const verdict = verdictOf(figure, row);
  if (verdict === undefined) return medianOf(anywireRowOf(figure, row)) === undefined ? 'TODO' : '—';
  return verdict ? '✅ met' : '❌ not met';
}

/** The figure as a Markdown table, anywire's rows first, and its notes. */
export function figureMarkdown(figure: Figure): string {
  const rows = [...figure.rows].sort((a, b) => Number(b.anywire === true) - Number(a.anywire === true));
  const cpuHeader = figure.cpu === undefined ? [] : [figure.cpu];
  const table = markdownTable(
    ['client', 'median', 'range', ...cpuHeader, 'anywire vs it', 'goal', 'met?', 'note'],
    rows.map((row) => {
      const value = medianOf(row);
      const samples = row.samples ?? [];
      const range = samples.length > 1 ? `${formatValue(figure, Math.min(...samples))} – ${formatValue(figure, Math.max(...samples))}` : '';
      const label = row.anywire === true ? `**${row.label}**` : row.label;
      const cpu = figure.cpu === undefined ? [] : [row.cpu !== undefined && row.cpu.length > 0 ? median(row.cpu).toFixed(2) : ''];
      return [
        label,
        value === undefined ? (row.anywire === true ? 'TODO' : 'not measured') : formatValue(figure, value),
        range,
        ...cpu,
        relationOf(figure, row)?.text ?? '',
        row.goal?.text ?? (row.reference === true ? '(reference)' : ''),
        verdictText(figure, row),
        row.note ?? '',
      ];
    }),
  );
  const notes = figure.notes.map((n) => `- ${n}`).join('\n');
  return `### ${figure.title}\n\n${table}\n\n${notes}\n`;
}

/** One line per goal across all figures, for the summary at the top of the report. */
export function goalsMarkdown(figures: readonly Figure[]): string {
  const rows: string[][] = [];
  for (const figure of figures) {
    for (const row of figure.rows) {
      if (row.goal === undefined) continue;
      const subject = anywireRowOf(figure, row);
      const against = row.anywire === true ? '' : ` vs ${row.label}`;
      const measured =
        row.goal.kind === 'absolute'
          ? (() => {
              const v = medianOf(row);
              return v === undefined ? 'TODO' : formatValue(figure, v);
            })()
          : (relationOf(figure, row)?.text ?? (medianOf(subject) === undefined ? 'TODO' : 'not measured'));
      rows.push([`${figure.title}: ${subject?.label ?? '?'}${against}`, row.goal.text, measured, verdictText(figure, row)]);
    }
  }
  return markdownTable(['goal', 'target', 'measured', 'met?'], rows);
}

/**
 * A figure's rows from an interleaved run: each contender's samples (and CPU samples, when
 * measured), and a note on the ones that failed. Shared by every throughput and memory figure.
 */
export function rowsFrom(
  contenders: ReadonlyArray<{ row: Omit<Row, 'samples'> }>,
  samples: ReadonlyMap<string, number[]>,
  errors: ReadonlyMap<string, unknown>,
  cpu?: ReadonlyMap<string, number[]>,
): Row[] {
  return contenders.map(({ row }) => {
    const error = errors.get(row.id);
    const cpuSamples = cpu?.get(row.id);
    return {
      ...row,
      samples: samples.get(row.id) ?? [],
      ...(cpuSamples === undefined ? {} : { cpu: cpuSamples }),
      ...(error ? { note: `failed: ${String(error)}` } : {}),
    } as Row;
  });
}
