import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDocs } from '../../scripts/check-docs.js';
import { anchors, checkDocs, findLinks, githubSlug, scanFences } from '../../scripts/docs-lint.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** checkDocs over inline files, where `others` are the non-Markdown paths that exist. */
const check = (files: Record<string, string>, others: readonly string[] = []) =>
  checkDocs(new Map(Object.entries(files)), (path) => others.includes(path)).problems;

const fence = '```';

describe('the docs', () => {
  it('have code fences that close and relative links that resolve, to a file and a heading', () => {
    const { files, exists } = readDocs(root);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['README.md', 'docs/protocol.md', 'examples/react/README.md']));
    const report = checkDocs(files, exists);
    expect(report.problems).toEqual([]);
    // The links were found at all: the README's table of contents alone has nine.
    expect(report.links).toBeGreaterThanOrEqual(40);
  });
});

describe('code fences', () => {
  it('fails on a block that never closes', () => {
    expect(check({ 'a.md': `# A\n\n${fence}ts\nconst a = 1;\n` })).toEqual([
      { file: 'a.md', line: 3, message: "the code block opened here ('```ts') never closes" },
    ]);
  });

  it('fails on a missing opener: its closer opens a block that swallows the prose, up to the next fence with an info string', () => {
    // docs/protocol.md §9.1 as it was: the SSE sample had no opening fence.
    const text = `Give it an id.\n\nevent: gap\ndata: null\n\n${fence}\n\n### 9.2\n\nProse.\n\n${fence}ts\nsub.state;\n${fence}\n`;
    expect(check({ 'a.md': text })).toEqual([
      { file: 'a.md', line: 12, message: expect.stringMatching(/opened at line 6.*a fence is missing/) },
    ]);
  });

  it('accepts a longer fence around a shorter one, a ~~~ fence around ```, and inline ``` in prose', () => {
    const text = `${fence}\`md\n${fence}ts\nx\n${fence}\n${fence}\`\n\n~~~md\n${fence}\n~~~\n\nUse ${fence}js${fence} inline.\n\n  ${fence}http\n  GET /\n  ${fence}\n`;
    expect(check({ 'a.md': text })).toEqual([]);
    expect(scanFences(text).fences.map(({ open, close }) => [open, close])).toEqual([
      [1, 5],
      [7, 9],
      [13, 15],
    ]);
  });

  it('closes only with the same character, at least as long, and no info string', () => {
    expect(check({ 'a.md': `~~~\n${fence}\n~~~~\n` })).toEqual([]);
    expect(check({ 'a.md': `${fence}\`\n${fence}\n` })).toHaveLength(1);
    expect(check({ 'a.md': `~~~~\n~~~\n` })).toHaveLength(1);
  });
});

describe('relative links', () => {
  const guide = '# Guide\n\n## 1.2 Per-transport URLs\n\n## `subscribe()` options\n\n## Time: fake timers, backoff\n';

  it('fails on a link to a file that does not exist', () => {
    const problems = check({ 'README.md': 'See [the guide](docs/gide.md) and [the figure](docs/figure.svg).\n' }, ['docs/figure.svg']);
    expect(problems).toEqual([{ file: 'README.md', line: 1, message: "'docs/gide.md': docs/gide.md does not exist" }]);
  });

  it('fails on a link to a heading that does not exist, in another file or the same one', () => {
    const problems = check({
      'README.md':
        'See [URLs](docs/guide.md#12-per-transport-urls),\n[options](docs/guide.md#subscribe-options) and [gone](docs/guide.md#13-gone).\n',
      'docs/guide.md': `${guide}\n[up](#guide), [time](#time-fake-timers-backoff), [nowhere](#nowhere)\n`,
    });
    expect(problems).toEqual([
      { file: 'README.md', line: 2, message: "'docs/guide.md#13-gone': docs/guide.md has no heading with the anchor #13-gone" },
      { file: 'docs/guide.md', line: 9, message: "'#nowhere': docs/guide.md has no heading with the anchor #nowhere" },
    ]);
  });

  it('resolves paths from the linking file, and fails on one that leaves the repository', () => {
    const files = { 'examples/react/README.md': '[React](../../docs/guide.md) [out](../../../x.md)\n', 'docs/guide.md': guide };
    expect(check(files)).toEqual([{ file: 'examples/react/README.md', line: 1, message: "'../../../x.md' points outside the repository" }]);
  });

  it('ignores absolute URLs and links inside code blocks and code spans', () => {
    const text = `[RFC](https://www.rfc-editor.org/rfc/rfc6902) \`[no](gone.md)\`\n\n${fence}md\n[no](gone.md)\n${fence}\n`;
    expect(findLinks(text).map((link) => link.target)).toEqual(['https://www.rfc-editor.org/rfc/rfc6902']);
    expect(check({ 'a.md': text })).toEqual([]);
  });

  it('finds links whose text wraps, images, reference definitions and HTML attributes', () => {
    const text = 'A [long\nlink](one.md "title"), ![figure](two.svg).\n\n[ref]: three.md\n\n<img src="four.png">\n';
    expect(findLinks(text)).toEqual([
      { target: 'one.md', line: 2 },
      { target: 'two.svg', line: 2 },
      { target: 'three.md', line: 4 },
      { target: 'four.png', line: 6 },
    ]);
  });
});

describe('heading anchors', () => {
  it("are GitHub's slugs: lower case, punctuation dropped, spaces to hyphens", () => {
    expect(githubSlug('1.2 Per-transport URLs')).toBe('12-per-transport-urls');
    expect(githubSlug('Time: fake timers, backoff and randomness')).toBe('time-fake-timers-backoff-and-randomness');
    expect(githubSlug('React, Vue, Svelte')).toBe('react-vue-svelte');
  });

  it('number repeated headings -1, -2, and skip headings in code blocks', () => {
    const text = `# Notes\n\n## Notes\n\n## Notes\n\n${fence}md\n# Hidden\n${fence}\n\n## [Linked](x.md) _em_ \`snake_case\`\n`;
    expect([...anchors(text)]).toEqual(['notes', 'notes-1', 'notes-2', 'linked-em-snake_case']);
  });
});
