/**
 * docs/benchmarks.svg: one panel per figure, a horizontal bar per row (anywire in blue, peers in
 * grey, reference rows lighter), and a red tick where each of anywire's goals puts the line it
 * must reach. Plain SVG built as text: no dependency, diffable, renders on GitHub.
 */

import { type Figure, formatValue, medianOf, type Row } from './figure.js';

const WIDTH = 920;
const LABEL_W = 360;
const BAR_W = 400;
const ROW_H = 22;
const HEAD_H = 34;
const GAP = 18;

const COLORS = { anywire: '#2563eb', peer: '#6b7280', reference: '#c7cbd1', goal: '#dc2626', text: '#111827' } as const;

function esc(text: string): string {
  return text.replace(/[`*]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The value anywire's row must reach for the goal on `row`, and which anywire row it applies to. */
function threshold(row: Row): { anywireId: string; at: number } | undefined {
  const goal = row.goal;
  if (goal === undefined) return undefined;
  if (goal.kind === 'absolute') return { anywireId: row.id, at: goal.target };
  const peer = medianOf(row);
  if (peer === undefined || row.versus === undefined) return undefined;
  return { anywireId: row.versus, at: goal.kind === 'ratio' ? peer * goal.target : peer + goal.target };
}

function panel(figure: Figure, top: number): { svg: string; height: number } {
  const rows = [...figure.rows].sort((a, b) => Number(b.anywire === true) - Number(a.anywire === true));
  const thresholds = figure.rows.map((r) => threshold(r)).filter((t) => t !== undefined);
  const max = Math.max(1, ...rows.map((r) => medianOf(r) ?? 0), ...thresholds.map((t) => t.at)) * 1.08;
  const x = (v: number): number => LABEL_W + (v / max) * BAR_W;
  const parts: string[] = [];
  const caption = figure.better === 'higher' ? 'higher is better' : 'lower is better';
  parts.push(
    `<text x="8" y="${top + 20}" font-size="15" font-weight="600" fill="${COLORS.text}">${esc(figure.title)}</text>`,
    `<text x="${WIDTH - 8}" y="${top + 20}" font-size="12" text-anchor="end" fill="${COLORS.peer}">${caption}; red tick: goal line</text>`,
  );
  rows.forEach((row, i) => {
    const y = top + HEAD_H + i * ROW_H;
    const value = medianOf(row);
    const color = row.anywire === true ? COLORS.anywire : row.reference === true ? COLORS.reference : COLORS.peer;
    const weight = row.anywire === true ? ' font-weight="600"' : '';
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y + 15}" font-size="12" text-anchor="end" fill="${COLORS.text}"${weight}>${esc(row.label)}</text>`,
    );
    if (value === undefined) {
      const text = row.anywire === true ? 'TODO: not measured yet' : 'not measured';
      parts.push(
        `<rect x="${LABEL_W}" y="${y + 3}" width="${BAR_W * 0.25}" height="${ROW_H - 6}" fill="none" stroke="${color}" stroke-dasharray="4 3"/>`,
        `<text x="${LABEL_W + BAR_W * 0.25 + 6}" y="${y + 15}" font-size="12" fill="${COLORS.peer}">${text}</text>`,
      );
    } else {
      // The value goes right of the bar and of any goal tick on this row, so neither hides it.
      const ticks = thresholds.filter((t) => t.anywireId === row.id).map((t) => x(t.at));
      const textX = Math.max(x(value), ...ticks) + 6;
      parts.push(
        `<rect x="${LABEL_W}" y="${y + 3}" width="${(x(value) - LABEL_W).toFixed(1)}" height="${ROW_H - 6}" fill="${color}" rx="2"/>`,
        `<text x="${textX.toFixed(1)}" y="${y + 15}" font-size="12" fill="${COLORS.text}">${esc(formatValue(figure, value))}</text>`,
      );
    }
    for (const t of thresholds) {
      if (t.anywireId !== row.id) continue;
      const tx = x(t.at).toFixed(1);
      parts.push(`<line x1="${tx}" x2="${tx}" y1="${y}" y2="${y + ROW_H}" stroke="${COLORS.goal}" stroke-width="2"/>`);
    }
  });
  return { svg: parts.join('\n'), height: HEAD_H + rows.length * ROW_H + GAP };
}

/** The whole chart: every figure, one under the other. */
export function chartSvg(figures: readonly Figure[], subtitle: string): string {
  const panels: string[] = [];
  let top = 44;
  for (const figure of figures) {
    const p = panel(figure, top);
    panels.push(p.svg);
    top += p.height;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="22" font-size="17" font-weight="700" fill="${COLORS.text}">anywire benchmarks</text>`,
    `<text x="8" y="38" font-size="11" fill="${COLORS.peer}">${esc(subtitle)}</text>`,
    ...panels,
    '</svg>',
    '',
  ].join('\n');
}
