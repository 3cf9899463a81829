/**
 * Number formatting and Markdown tables. Sizes use size-limit's units: 1 kB = 1,000 bytes (memory
 * too, so every "KB" in the goals means 1,000 bytes, the stricter reading).
 */

/** `12345` → `12.3 kB`; under 1 kB, bytes. */
export function formatBytes(bytes: number): string {
  return bytes < 1000 ? `${Math.round(bytes)} B` : `${(bytes / 1000).toFixed(bytes < 10_000 ? 2 : 1)} kB`;
}

/** `1234567` → `1.23 M/s`; `12345` → `12.3 k/s`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(0)} /s`;
}

/** `0.9312` → `0.93×`. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/** A signed byte difference, `+1.20 kB` / `−340 B`. */
export function formatDelta(bytes: number): string {
  const sign = bytes < 0 ? '−' : '+';
  return `${sign}${formatBytes(Math.abs(bytes))}`;
}

/** A GitHub-flavoured Markdown table; also readable as plain text in a terminal. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
