/**
 * Checks for the repo's Markdown, as pure functions over text: code fences that close, and relative
 * links that land on a file and, for a link into Markdown with a `#fragment`, on a heading.
 * scripts/check-docs.ts reads the files and runs them (`npm run docs:check`);
 * test/unit/docs.test.ts runs them too, so `npm test` fails on a broken doc.
 *
 * Fences follow CommonMark: an opener is a line of three or more backticks or tildes, with an
 * optional info string (no backtick in it after backticks); a block closes only at a line of the
 * same character, at least as long, with nothing after it, so a longer fence can show a shorter
 * one. Indentation is not measured (fences inside list items are indented), so a four-space
 * indented code block that shows a fence would be misread; the docs have none.
 */

import { posix } from 'node:path';

/** One thing to fix, at a 1-based line. */
export interface Problem {
  file: string;
  line: number;
  message: string;
}

/** A fenced code block. Lines are 1-based; `close` is undefined when the block never closes. */
export interface Fence {
  open: number;
  close: number | undefined;
  marker: string;
  info: string;
}

/** A file's fenced code blocks, and what is wrong with them. */
export interface FenceScan {
  fences: Fence[];
  problems: Array<Omit<Problem, 'file'>>;
}

/** What checkDocs saw: the count of files and relative links checked, and the problems. */
export interface DocsReport {
  files: number;
  links: number;
  problems: Problem[];
}

/** A possible fence line: blockquote markers and indentation, then the marker and the rest. */
const FENCE = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})(.*)$/;

/** Finds the fenced code blocks of a Markdown text and reports fences that do not pair up. */
export function scanFences(text: string): FenceScan {
  const fences: Fence[] = [];
  const problems: FenceScan['problems'] = [];
  let open: Fence | undefined;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const match = FENCE.exec(lines[index] ?? '');
    const marker = match?.[1];
    const rest = match?.[2] ?? '';
    // [CommonMark 4.5] a backtick fence's info string may not contain a backtick: such a line is
    // inline code, not a fence.
    if (marker === undefined || (marker[0] === '`' && rest.includes('`'))) continue;
    const line = index + 1;
    const info = rest.trim();
    if (!open) {
      open = { open: line, close: undefined, marker, info };
      fences.push(open);
    } else if (marker[0] === open.marker[0] && marker.length >= open.marker.length) {
      if (info === '') {
        open.close = line;
        open = undefined;
      } else {
        // It would close the block but for its info string: one fence is missing, and every block
        // from here on renders inside out.
        problems.push({
          line,
          message: `'${marker}${info}' is inside the code block opened at line ${open.open}, which it cannot close: a fence is missing (the opener of the block that line ${open.open} was meant to close, or this block's closer)`,
        });
      }
    }
  }
  if (open) problems.push({ line: open.open, message: `the code block opened here ('${open.marker}${open.info}') never closes` });
  return { fences, problems };
}

/** Replaces every character but newlines in [from, to) with a space, keeping offsets and lines. */
const blank = (text: string, from: number, to: number): string =>
  text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, ' ') + text.slice(to);

/**
 * The text with fenced code blocks and inline code spans blanked out, offsets and line numbers
 * unchanged: what is left is where links and headings can be.
 */
export function proseOnly(text: string, fences: readonly Fence[] = scanFences(text).fences): string {
  const lines = text.split(/\r?\n/);
  for (const { open, close } of fences) {
    for (let line = open; line <= (close ?? lines.length); line++) lines[line - 1] = '';
  }
  let prose = lines.join('\n');
  // [CommonMark 6.1] a code span opens with a run of n backticks and closes at the next run of
  // exactly n, within the paragraph; an unmatched run is literal.
  const runs = /(?<![`\\])`+/g;
  for (let run = runs.exec(prose); run; run = runs.exec(prose)) {
    const width = run[0].length;
    const after = run.index + width;
    const paragraphEnd = prose.slice(after).search(/\n[ \t]*\n/);
    const scope = paragraphEnd === -1 ? prose.slice(after) : prose.slice(after, after + paragraphEnd);
    const closer = new RegExp(`(?<!\`)\`{${width}}(?!\`)`).exec(scope);
    if (!closer) continue;
    const end = after + closer.index + width;
    prose = blank(prose, run.index, end);
    runs.lastIndex = end;
  }
  return prose;
}

/** A link's destination and the line it is on. */
export interface Link {
  target: string;
  line: number;
}

/** `[text](dest)` and `![alt](dest)`, with an optional title; text may hold one level of brackets. */
const INLINE_LINK =
  /!?\[((?:[^[\]\\]|\\.|\[(?:[^[\]\\]|\\.)*\])*)\]\([ \t]*\n?[ \t]*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*\)/dg;
/** `[label]: dest` on its own line; not a footnote (`[^1]: text`). */
const REFERENCE = /^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(<[^<>\n]*>|\S+)/dgm;
/** `href="…"` / `src="…"` in raw HTML. */
const HTML_LINK = /<[a-z][^>]*?\s(?:href|src)\s*=\s*["']([^"']*)["']/dgi;

/** Every link destination in a Markdown text, outside code; absolute URLs included. */
export function findLinks(text: string, prose: string = proseOnly(text)): Link[] {
  const lineAt = (offset: number): number => prose.slice(0, offset).split('\n').length;
  const links: Link[] = [];
  const collect = (pattern: RegExp, group: number, nested: boolean): void => {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(prose); match; match = pattern.exec(prose)) {
      const target = (match[group] ?? '').replace(/^<(.*)>$/, '$1');
      links.push({ target, line: lineAt(match.indices?.[group]?.[0] ?? match.index) });
      // Go on just inside the link's text, so an image inside a link is found too.
      if (nested) pattern.lastIndex = match.index + match[0].indexOf('[') + 1;
    }
  };
  collect(INLINE_LINK, 2, true);
  collect(REFERENCE, 1, false);
  collect(HTML_LINK, 1, false);
  return links.sort((a, b) => a.line - b.line);
}

/** The anchor GitHub gives a heading's text (github-slugger, without the duplicate suffix). */
export function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** A heading's Markdown as the plain text GitHub slugs: code kept verbatim, markup dropped. */
function headingText(markdown: string): string {
  return markdown
    .split(/(`+[^`]*`+)/)
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
            .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/<[^>]+>/g, '')
            // `_` survives slugging, so emphasis underscores must go; those inside words stay.
            .replace(/(^|[^\p{L}\p{N}])_+|_+(?=[^\p{L}\p{N}]|$)/gu, '$1'),
    )
    .join('');
}

const ATX = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
/** Lines that cannot be the text of a setext heading. */
const NOT_PARAGRAPH = /^\s*$|^ {0,3}(?:[-*+>|#]|\d+[.)])/;
const HTML_ID = /<[a-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/gi;

/** Every `#fragment` a Markdown text answers: its headings' GitHub slugs and HTML ids. */
export function anchors(text: string, prose: string = proseOnly(text)): Set<string> {
  // Headings are read from the original lines (code spans count), where the prose has text.
  const lines = text.split(/\r?\n/);
  const proseLines = prose.split('\n');
  const found = new Set<string>();
  const seen = new Map<string, number>();
  const add = (markdown: string): void => {
    const base = githubSlug(headingText(markdown.trim()));
    // [github-slugger] a repeated slug gets -1, -2, …, skipping ones already taken.
    let slug = base;
    while (found.has(slug)) {
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      slug = `${base}-${count}`;
    }
    found.add(slug);
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if ((proseLines[index] ?? '').trim() === '') continue;
    const atx = ATX.exec(line);
    if (atx) {
      add(atx[1] ?? '');
      continue;
    }
    const previous = lines[index - 1];
    if (SETEXT_UNDERLINE.test(line) && previous !== undefined && !NOT_PARAGRAPH.test(previous) && !ATX.test(previous)) {
      let start = index - 1;
      while (start > 0 && !NOT_PARAGRAPH.test(lines[start - 1] ?? '')) start--;
      add(lines.slice(start, index).join(' '));
    }
  }
  for (const match of prose.matchAll(HTML_ID)) if (match[1]) found.add(match[1]);
  return found;
}

/** A URL with a scheme (`https:`, `mailto:`) or protocol-relative: not a file in the repo. */
const ABSOLUTE = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/**
 * Checks Markdown files given as repo-relative POSIX path → text. `exists` answers for any other
 * path a link may point to (a file or a folder, repo-relative). A fragment is checked when the link
 * points into one of `files` (or within the same file); elsewhere only the file is.
 */
export function checkDocs(files: ReadonlyMap<string, string>, exists: (path: string) => boolean): DocsReport {
  const problems: Problem[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (path: string, text: string): Set<string> => {
    let found = anchorCache.get(path);
    if (!found) anchorCache.set(path, (found = anchors(text)));
    return found;
  };
  let links = 0;
  for (const [file, text] of files) {
    const scan = scanFences(text);
    for (const problem of scan.problems) problems.push({ file, ...problem });
    const prose = proseOnly(text, scan.fences);
    for (const { target, line } of findLinks(text, prose)) {
      if (ABSOLUTE.test(target)) continue;
      links++;
      const report = (message: string): void => void problems.push({ file, line, message });
      if (target.trim() === '') {
        report('a link with no destination');
        continue;
      }
      const [pathAndQuery = '', ...fragmentParts] = target.split('#');
      const fragment = decode(fragmentParts.join('#'));
      const path = decode(pathAndQuery.replace(/\?.*$/, ''));
      // As on GitHub, a path starting with `/` starts at the repository's root.
      const resolved =
        path === '' ? file : path.startsWith('/') ? posix.normalize(path.slice(1)) : posix.normalize(posix.join(posix.dirname(file), path));
      if (resolved === '..' || resolved.startsWith('../')) {
        report(`'${target}' points outside the repository`);
        continue;
      }
      const key = resolved.replace(/\/$/, '');
      const markdown = files.get(key);
      if (markdown === undefined && !exists(key)) {
        report(`'${target}': ${key} does not exist`);
        continue;
      }
      if (fragment !== '' && markdown !== undefined && !anchorsOf(key, markdown).has(fragment)) {
        report(`'${target}': ${key} has no heading with the anchor #${fragment}`);
      }
    }
  }
  return { files: files.size, links, problems };
}
