import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { fastParseBailReason, fastParseDocument, plainValue, YAML_PARSE_OPTIONS } from '../../../src/runbook/fast-yaml';

// Differential tests of the fast YAML path: whenever fastParseDocument returns a document, it must
// be the one yaml's parseDocument builds (same node kinds, values, scalar types, flow flags,
// ranges, formats, key values), and yaml must see no error or warning in the text.

/** Node properties the fast path does not reproduce (only used to write YAML back out). */
const IGNORED = new Set(['comment', 'commentBefore', 'spaceBefore']);

const kind = (node: unknown): string => (isMap(node) ? 'map' : isSeq(node) ? 'seq' : isScalar(node) ? 'scalar' : isPair(node) ? 'pair' : typeof node);

/** Differences between two ASTs: every own enumerable property, recursively (first few only). */
function differences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 5 || Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: ${a.length} items vs ${b.length}`);
    else a.forEach((item, i) => differences(item, b[i], `${path}[${i}]`, out));
    return;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    if (kind(a) !== kind(b)) {
      out.push(`${path}: ${kind(a)} vs ${kind(b)}`);
      return;
    }
    const record = (x: object) => x as Record<string, unknown>;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((key) => !IGNORED.has(key)));
    for (const key of keys) differences(record(a)[key], record(b)[key], `${path}.${key}`, out);
    return;
  }
  out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

interface Comparison {
  fast: Document.Parsed | undefined;
  /** Empty when the fast path gave up or built exactly what yaml builds. */
  problems: string[];
}

function compare(text: string): Comparison {
  const fast = fastParseDocument(text);
  if (!fast) return { fast, problems: [] };
  const slow = parseDocument(text, YAML_PARSE_OPTIONS);
  const problems: string[] = [];
  for (const e of [...slow.errors, ...slow.warnings]) problems.push(`yaml reports ${e.code} but the fast path took the text`);
  if (fast.errors.length || fast.warnings.length) problems.push('fast document has errors or warnings');
  differences(fast.contents, slow.contents, 'contents', problems);
  differences(fast.range, slow.range, 'doc.range', problems);
  differences(fast.directives, slow.directives, 'doc.directives', problems);
  differences({ ...fast.options, _directives: undefined }, { ...slow.options, _directives: undefined }, 'doc.options', problems);
  // Without comments and blank lines (not reproduced), the document even writes back the same.
  if (!text.includes('#') && !/\n[ ]*\n/.test(text) && fast.toString() !== slow.toString()) problems.push('toString differs');
  // Node kinds by yaml's own type guards along the way, and the plain JS value.
  walk(fast.contents, slow.contents, 'contents', problems);
  try {
    expect(fast.toJS({ maxAliasCount: 100 })).toEqual(slow.toJS({ maxAliasCount: 100 }));
  } catch {
    problems.push('toJS differs');
  }
  // parseYaml takes the value of a fast document from plainValue, not toJS: the same, strictly.
  try {
    expect(plainValue(fast.contents)).toStrictEqual(slow.toJS({ maxAliasCount: 100 }));
  } catch {
    problems.push('plainValue differs from toJS');
  }
  return { fast, problems };
}

/** A second, explicit walk: kinds, ranges, scalar type and value, flow, key values. */
function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 5) return;
  if (kind(a) !== kind(b)) {
    out.push(`${path}: kind ${kind(a)} vs ${kind(b)}`);
    return;
  }
  if (isScalar(a) && isScalar(b)) {
    if (!Object.is(a.value, b.value) || a.type !== b.type || String(a.range) !== String(b.range)) out.push(`${path}: scalar ${JSON.stringify([a.value, a.type, a.range])} vs ${JSON.stringify([b.value, b.type, b.range])}`);
    return;
  }
  if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
    if (Boolean(a.flow) !== Boolean(b.flow) || String(a.range) !== String(b.range) || a.items.length !== b.items.length) out.push(`${path}: collection ${JSON.stringify([a.flow, a.range, a.items.length])} vs ${JSON.stringify([b.flow, b.range, b.items.length])}`);
    a.items.forEach((item, i) => {
      const other = b.items[i];
      if (isPair(item) && isPair(other)) {
        walk(item.key, other.key, `${path}.key${i}`, out);
        walk(item.value, other.value, `${path}.${String(isScalar(item.key) ? item.key.value : i)}`, out);
      } else walk(item, other, `${path}[${i}]`, out);
    });
  }
}

const ROOT = join(import.meta.dirname, '../../..');

function yamlFiles(dir: string): string[] {
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => join(dir, file))
    .sort();
}

describe('fast YAML path: every YAML file of the repository', () => {
  const files = ['runbooks', 'templates', 'test'].flatMap(yamlFiles);

  it('finds the files', () => {
    expect(files.filter((f) => f.startsWith('runbooks/')).length).toBeGreaterThan(40);
  });

  it.each(files)('%s', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const { fast, problems } = compare(text);
    expect(problems).toEqual([]);
    // The shipped runbooks and templates must all be read by the fast path.
    if (file.startsWith('runbooks/') || file.startsWith('templates/')) expect(fastParseBailReason(text)).toBeUndefined();
    // An invalid file must never be taken.
    if (parseDocument(text, YAML_PARSE_OPTIONS).errors.length) expect(fast).toBeUndefined();
  });
});

/** The generated runbook of the parse benchmark (see README), with `n` steps. */
function benchmarkRunbook(n: number): string {
  const steps = Array.from({ length: n }, (_, i) => `  - id: s${i}\n    shell: echo "step ${i} of \${{ params.who }}"\n    when: \${{ params.n > ${i % 7} }}\n${i > 0 ? `    needs: [s${i - 1}]\n` : ''}`).join('');
  return `apiVersion: opsctl/v1\nkind: Runbook\nname: big\ntitle: Benchmark big\nlock: false\nparams:\n  who: { type: string, default: ops }\n  n: { type: integer, default: 3 }\nsteps:\n${steps}`;
}

/** Texts the fast path must take, and build exactly as yaml does. */
const TAKEN: Record<string, string> = {
  'one key': 'a: 1\n',
  'no final newline': 'a: 1\nb: two',
  'key without value at the end, no newline': 'a: 1\nb:',
  ints: 'a: 1\nb: -2\nc: +3\nd: 0x1F\ne: 0o17\nf: 0777\ng: 007\nh: 0\ni: -0\nj: 12345678901234567890\n',
  floats: 'a: 1.0\nb: 1.50\nc: .5\nd: -.5\ne: 1e3\nf: 1E-3\ng: +1.5e+3\nh: 1.\ni: .inf\nj: -.Inf\nk: +.INF\nl: .NaN\nm: .nan\nn: 0.0\no: 100.000\n',
  'number-like strings': 'a: 1_000\nb: 0x\nc: 0b101\nd: 1.2.3\ne: 12:30\nf: 1e\ng: .\nh: +\ni: -x\nj: 0o8\nk: 0xG\nl: 1,000\nm: v1\nn: +-1\no: ..5\np: .Nan\nq: Infinity\n',
  bools: 'a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: tRUE\nh: yes\ni: no\nj: on\nk: off\nl: y\nm: n\n',
  nulls: 'a: null\nb: Null\nc: NULL\nd: ~\ne: nULL\nf:\ng:   \nh: nil\n',
  'keys of every type': 'true: a\n1: b\nnull: c\n1.5: e\n0x10: f\nFalse: g\n.inf: h\n',
  'plain strings with # and :': 'a: b#c\nb: b #c\nc: http://x:8080/a?b=c#frag\nd: a:b\ne: 12:30:00\nf: a: \nz: ok\n'.replace('f: a: \n', ''),
  'expressions in plain scalars': 'when: ${{ params.n > 3 }}\nshell: echo ${{ params.who }} and ${{ "x" }}\nlog: ${{ a ? "b":"c" }}\nx: ${{ {"a":1}["a"] }}\ny: ${{ [1, 2] }}\nz: ${{ x }} # comment\n',
  'keys with spaces': 'key with spaces: value with spaces\nanother key : v\n',
  'quoted keys': '"quoted key": 1\n\'single key\': 2\n"a\\"b": 3\n\'it\'\'s\': 4\n"": 5\n"1": 6\n',
  'double-quoted escapes': 'a: "\\t\\n\\\\\\"\\x41\\u00e9\\U0001F600\\0\\a\\b\\e\\f\\r\\v\\N\\_\\L\\P\\/\\ "\nb: "tab\there"\nc: ""\nd: "  spaced  "\ne: "# not a comment"\nf: "a: b"\n',
  'single quotes': "a: 'a''b'\nb: ''\nc: '\\n stays'\nd: ' # x '\ne: '\"'\n",
  'quoted then comment': 'a: "b" # c\nb: \'c\'   # d\nc: "x"\n',
  'trailing spaces': 'a: b   \nc: "d"  \ne: [f]  \ng:   \nh: 1   ',
  'literal block scalars': 'a: |\n  line 1\n    more\n  line 3\nb: |-\n  strip\n\n\nc: |+\n  keep\n\n\nd: |\n  clip\n\n\ne: x\n',
  'folded block scalars': 'a: >\n  one\n  two\n\n  three\n    indented\n  four\nb: >-\n  x\n  y\nc: >+\n  k\n\nd: x\n',
  'block scalar indentation indicators': 'a: |2\n    two more\n  base\nb: >1-\n  x\nc: |1+\n   y\n\n',
  'block scalar with comment after the header': 'a: | # c\n  text\nb: >- #c\n  t\n',
  'block scalar contents that look like YAML': 'a: |\n  # not a comment\n  - not: a seq\n  key: value\n  "quoted"\n  [flow]\nb: 1\n',
  'block scalar with blank lines inside and leading': 'a: |\n\n  after blank\n\n  x\n\n\nb: >\n\n  y\n\n\n  z\nc: 1\n',
  'block scalar with whitespace-only lines': 'a: |\n  x\n    \n  y\n   \nb: |+\n  x\n     \n\nc: >\n  a\n     \n  b\n',
  'block scalar at the end without newline': 'a: |\n  x\n  y',
  'block scalar at the end with trailing blanks': 'a: |\n  x\n\n\n',
  'block scalar keep at the end': 'a: |+\n  x\n\n\n',
  'block scalar at the end with trailing spaces': 'a: |\n  x\n  ',
  'block scalar in a sequence': 'a:\n  - |\n    text\n  - >-\n    folded\n    text\n  - x\n',
  'block scalar with tabs inside lines': 'a: |\n  x\ty\n  echo "a\tb"\n',
  'block scalar followed by comments': 'a: |\n    x\n  # less indented comment\n# top comment\nb: |\n  y\n\n  # not a comment: content\nc: 1\n',
  'flow sequences': 'a: []\nb: [ ]\nc: [a, b]\nd: [a,b]\ne: [ a , b ]\nf: ["a", \'b\', 1, true, null, ~, 1.5]\ng: [a b, c d]\nh: [--force, -x, -1]\ni: [http://x, a:b]\nj: [[a], [b, [c]], {}]\n',
  'flow maps': 'a: {}\nb: { }\nc: {a: 1}\nd: { a: 1, b: [x, {c: d}] }\ne: { "k": v, \'q\': "w" }\nf: { url: http://x:1, n: x }\ng: {a : b}\nh: { type: string, default: "", description: "x, y: z" }\n',
  'flow collections then comments': 'a: [x]  # c\nb: {y: z} #d\nc: [ ]\n',
  'flow collection in a sequence': 'a:\n  - [x, y]\n  - { k: v }\n',
  comments: '# head\n\n# more\na: 1 # after\n# between\nb:\n  # inside\n  c: 2\n  # end of b\n# end\n',
  'indented comments after values (absorbed)': 'a: 1\n    # indented\n\n      # more\n# zero\n    # after zero\nb: [x]\n  # in\nc: "q"\n\n   # far\nd: 2\n',
  'comments between sequence items': 'steps:\n  - id: a\n    shell: x\n    # at the map\n  - id: b\n\n# top\n  # two\n\n  - id: c\n    # deep\n      # deeper\n\nz: 1\n',
  'comments after a nested map': 'a:\n  b:\n    c: 1\n    # at c\n  d: 2\n  # at d\ne: 3\n',
  'comments at the end of the file': 'a:\n  b: 1\n  # c\n    # deeper\n',
  'comments at the end, not indented': 'a:\n  b: 1\n# c\n',
  'comment at the end without newline': 'a: 1\n# c',
  'comment after key with nested value': 'steps: # the steps\n  # first\n  - id: a\nother: # x\n\n  k: v\n',
  'only a map after comments': '\n\n# c\n   # d\n\na: 1\n',
  'blank lines everywhere': '\na: 1\n\n\nb:\n\n  c: 2\n\n\n  d:\n\n\n    - x\n\n    - y\n\n\n',
  'whitespace-only lines': 'a: 1\n   \nb:\n  \n  c: 2\n    \n',
  'sequence at its key indentation': 'a:\n- x\n- y\nb:\n- k: v\n  l: w\n- z\nc: 1\n',
  'sequence of maps': 'steps:\n  - id: a\n    shell: echo a\n  - id: b\n    needs: [a]\n    http: { url: "http://x" }\n',
  'extra spaces after dash': 'a:\n  -   id: x\n      y: z\n  -  plain\n',
  'nested sequences in maps': 'a:\n  b:\n    - c:\n        - d\n        - e\n      f: g\n',
  'empty values': 'a:\nb: 1\nc:\n  d:\n  e:\nf:\n',
  'empty value then dedent': 'a:\n  b:\n    c:\nd: 1\n',
  'empty value with trailing blank lines': 'a: 1\nb:\n\n\n',
  'space before colon': 'a : b\n"c"  : d\n',
  'dashes and dots as plain values': 'a: ---\nb: ...\nc: -\n'.replace('c: -\n', 'c: a-\n'),
  'unicode': 'name: café ☕\n"ключ": значение\nemoji: "😀"\n',
  'long plain value': `a: ${'x'.repeat(5000)}\n`,
  'a compact map key followed by a block scalar': '- a: |\n    x\n'.replace('- a', 'k:\n  - a').replace('    x', '      x'),
  'comment kept by a sequence at its key indentation': 'a:\n  needs:\n  - x\n  # c\n  shell: y\n',
  'comment kept by a nested sequence at the end': 'a:\n  - b\n  - c\n  # c\n',
  'quotes with brackets and commas in flows': 'a: ["a,b", \'c]\', "{d}", \'e: f\']\nb: { "k,": "v}" }\n',
  'quoted keys in sequences': 'a:\n  - "k": 1\n    \'l\': 2\n',
  'backslashes at the end of double quotes': 'a: "b\\\\"\nc: "\\""\n',
  'surrogate escapes': 'a: "\\ud83d\\ude00"\n',
  'keep chomping then comments at the end': 'a: |+\n  x\n\n# c\n\n',
  'block scalar in a compact map then dedent': 'a:\n  - b: |\n      x\n    c: 1\n  - d\n',
  'the benchmark runbook': benchmarkRunbook(50),
  'values that start with indicator-like characters': 'a: -x\nb: ?x\n'.replace('b: ?x\n', 'b: x?\n'),
};

/** Texts outside the subset: the fast path must give up (yaml decides). */
const BAILS: Record<string, string> = {
  empty: '',
  'only comments': '# a\n# b\n',
  'only blank lines': '\n\n  \n',
  anchor: 'a: &x 1\nb: 2\n',
  alias: 'a: 1\nb: *x\n',
  tag: 'a: !!str 1\n',
  'custom tag': 'a: !thing x\n',
  directive: '%YAML 1.2\n---\na: 1\n',
  'document start': '---\na: 1\n',
  'document end': 'a: 1\n...\n',
  'two documents': 'a: 1\n---\nb: 2\n',
  'tab indentation': 'a:\n\tb: 1\n',
  'tab after colon': 'a:\tb\n',
  'tab in plain scalar': 'a: b\tc\n',
  'tab at line start': '\ta: 1\n',
  'tab in a comment line indentation': 'a: 1\n\t# c\n',
  'duplicate key': 'a: 1\na: 2\n',
  'duplicate key by value': '1: a\n1.0: b\n',
  'duplicate quoted key': '"a": 1\na: 2\n',
  'duplicate key in a flow map': 'a: { b: 1, b: 2 }\n',
  'merge key': '<<: { a: 1 }\n',
  'explicit key': '? a\n: b\n',
  'multi-line plain scalar': 'a: b\n  c\n',
  'multi-line plain scalar after a blank line': 'a: b\n\n  c\n',
  'multi-line plain sequence item': '- a\n  b\n'.replace('- a', 'k:\n- a').replace('  b', ' b'),
  'multi-line double quotes': 'a: "b\n  c"\n',
  'multi-line single quotes': "a: 'b\n  c'\n",
  'multi-line flow': 'a: [b,\n  c]\n',
  'comment in a flow': 'a: [b # c\n  ]\n',
  CRLF: 'a: 1\r\nb: 2\r\n',
  BOM: '\uFEFFa: 1\n',
  'root sequence': '- a\n- b\n',
  'root scalar': 'a\n',
  'root flow': '{ a: 1 }\n',
  'indented root': '  a: 1\n',
  'bad indentation': 'a:\n  b: 1\n c: 2\n',
  'more indented key': 'a: 1\n  b: 2\n',
  'nested mapping on one line': 'a: b: c\n',
  'sequence on the key line': 'a: - b\n',
  'sequence after a value': 'a: 1\n- b\n',
  'nested sequence on one line': 'a:\n  - - b\n',
  'empty sequence item': 'a:\n  -\n  - b\n',
  'comment as sequence item': 'a:\n  - # c\n    b: 1\n',
  'comment after a key without value': 'a: # c\nb: 1\n',
  'comment line after a key without value': 'a:\n  # c\nb: 1\n',
  'comment directly after a quoted scalar': 'a: "b"#c\n',
  'content after a quoted scalar': 'a: "b" c\n',
  'content after a flow collection': 'a: [b] c\n',
  'flow trailing comma': 'a: [b, ]\n',
  'flow empty item': 'a: [b, , c]\n',
  'flow map key without value': 'a: { b }\n',
  'flow map empty value': 'a: { b: }\n',
  'JSON-like flow map': 'a: {"b":1}\n',
  'pair in a flow sequence': 'a: [b: c]\n',
  'flow collection as key': '[a]: b\n',
  'invalid escape': 'a: "\\q"\n',
  'short hex escape': 'a: "\\x4"\n',
  'reserved character': 'a: @b\n',
  backtick: 'a: `b`\n',
  'percent at value start': 'a: %b\n',
  'bad block scalar header': 'a: |x\n  b\n',
  'block scalar header with comment without space': 'a: |#c\n  b\n',
  'empty block scalar': 'a: |\nb: 1\n',
  'block scalar with more-indented leading blank line': 'a: |\n     \n  b\n',
  'block scalar with tab indentation': 'a: |\n\tb\n',
  'long key': `${'k'.repeat(1100)}: v\n`,
  'unterminated quote': 'a: "b\n',
  'key on several lines': '"a\n  b": c\n',
  'value on the next line': 'a:\n  b\n',
  'explicit value indicator line': 'a:\n: b\n',
  'NaN key': '.nan: a\n',
  'code point out of range': 'a: "\\U00110000"\n',
  'null keys twice': 'null: a\n~: b\n',
  ': in an expression': 'log: ${{ a ? "b" : "c" }}\n',
  'expression in a flow collection': 'a: [${{ x }}, b]\n',
};

describe('fast YAML path: hand-written cases', () => {
  it.each(Object.entries(TAKEN))('takes: %s', (_name, text) => {
    expect(fastParseBailReason(text)).toBeUndefined();
    expect(compare(text).problems).toEqual([]);
  });

  it.each(Object.entries(BAILS))('gives up: %s', (_name, text) => {
    expect(fastParseDocument(text)).toBeUndefined();
  });

  it('builds a Document parse-yaml can use like yaml’s', () => {
    const doc = fastParseDocument('a: 1\nb: [x]\n');
    expect(doc?.errors).toEqual([]);
    expect(doc?.warnings).toEqual([]);
    expect(doc?.get('a')).toBe(1);
    expect(doc?.getIn(['b', 0])).toBe('x');
  });
});

// ---- generated documents ------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, so every run tests the same documents. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Generator {
  private readonly random: () => number;
  private lines: string[] = [];
  /** The last content line was a key without a value. */
  private afterEmpty = false;
  /**
   * A comment line came after a key without a value: a valid document the fast path leaves to
   * yaml (where yaml puts those comments is not worth copying).
   */
  mayBail = false;

  private push(...lines: string[]): void {
    this.lines.push(...lines);
    this.afterEmpty = false;
  }

  private fill(line: string): void {
    if (this.afterEmpty && line.trim() !== '') this.mayBail = true;
    this.lines.push(line);
  }

  constructor(seed: number) {
    this.random = prng(seed);
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  /** A scalar as written in the text, for a block (or flow) context. */
  private scalar(inFlow: boolean): string {
    const plain = ['ops', 'deploy api', 'echo "hi"', 'http://example.com:8080/x', 'a:b', 'it#s', '1', '-7', '0x1f', '0o17', '3.14', '1.0', '1e3', '.inf', '.nan', 'true', 'False', 'null', '~', 'yes', 'v1.2.3', '30s', 'café', '--force', '12:30', "it's", 'a "quoted" word'];
    const blockOnly = ['x, y', 'a [b] {c}', '${{ params.who }}', 'echo ${{ vars.x }} done', '${{ params.n > 3 && run.ok }}', '${{ {"k":[1, 2]} }}', 'semi; colon'];
    const quoted = ['"double"', '"with \\"escapes\\" \\t \\n \\u00e9"', '"# not a comment"', '"a: b"', '""', "'single'", "'it''s'", "''", "' spaced '", '"${{ params.x }}"', '"1"', "'true'", '"x, y"'];
    const r = this.random();
    if (r < 0.55) return this.pick(inFlow ? plain : [...plain, ...blockOnly]);
    return this.pick(quoted);
  }

  private key(): string {
    return this.pick(['id', 'name', 'shell', 'when', 'needs', 'timeout', 'retry', 'description', 'title', 'undo', 'log', 'http', 'url', 'key with spaces', '"quoted key"', "'single'", 'on_failure', 'x-y', 'k1', 'true', '42']);
  }

  private flow(depth: number): string {
    const isMap = this.chance(0.5);
    const n = this.int(4);
    const items: string[] = [];
    const used = new Set<string>();
    for (let i = 0; i < n; i++) {
      const value = depth < 2 && this.chance(0.25) ? this.flow(depth + 1) : this.scalar(true);
      if (isMap) {
        const key = `k${this.int(6)}`;
        if (used.has(key)) continue;
        used.add(key);
        items.push(`${key}${this.pick([': ', ' : ', ':  '])}${value}`);
      } else items.push(value);
    }
    const sep = this.pick([', ', ',', ' , ']);
    const pad = this.pick(['', ' ']);
    return isMap ? `{${pad}${items.join(sep)}${pad}}` : `[${pad}${items.join(sep)}${pad}]`;
  }

  private comment(): string {
    return this.pick(['# note', '#', '# a: b', '# - x', '# ${{ x }}', '#no space']);
  }

  private trailer(): string {
    const spaces = this.pick(['', '', ' ', '   ']);
    return this.chance(0.2) ? `${spaces} ${this.comment()}` : spaces;
  }

  /** Blank and comment lines at random indentations. */
  private filler(indent: number): void {
    while (this.chance(0.25)) {
      if (this.chance(0.5)) this.fill(this.pick(['', '', '  ', ' '.repeat(indent + 2)]));
      else this.fill(`${' '.repeat(Math.max(0, indent + this.pick([-4, -2, 0, 0, 2, 4])))}${this.comment()}`);
    }
  }

  private blockScalar(indent: number, prefix: string): void {
    const header = this.pick(['|', '|-', '|+', '>', '>-', '>+', '|2', '>1-']);
    this.push(`${prefix}${header}${this.chance(0.2) ? ' # header' : ''}`);
    const explicit = /\d/.exec(header);
    const base = explicit ? indent + Number(explicit[0]) : indent + this.pick([2, 2, 4]);
    const n = 1 + this.int(4);
    for (let i = 0; i < n; i++) {
      const line = this.pick(['echo one', 'two words', '# hash line', '- dash: line', ...(i > 0 ? ['  more indented'] : []), 'tab\there', '"quoted"', '${{ x }}']);
      this.push(`${' '.repeat(base)}${line}`);
      if (this.chance(0.2)) this.push(this.pick(['', ' '.repeat(base), ' '.repeat(base + 2)]));
    }
    while (this.chance(0.3)) this.push('');
  }

  /** A value after `key:` (on the same line or below) in a mapping at `indent`. */
  private value(indent: number, prefix: string, depth: number): void {
    const r = this.random();
    if (depth < 3 && r < 0.2) {
      this.push(`${prefix}${this.trailer()}`);
      this.filler(indent + 2);
      this.map(indent + this.pick([2, 2, 4]), depth + 1);
    } else if (depth < 3 && r < 0.35) {
      this.push(`${prefix}${this.trailer()}`);
      this.filler(indent + 2);
      this.seq(indent + this.pick([0, 2, 2, 4]), depth + 1);
    } else if (r < 0.45) {
      this.blockScalar(indent, `${prefix} `);
    } else if (r < 0.6) {
      this.push(`${prefix} ${this.flow(0)}${this.trailer()}`);
    } else if (r < 0.65) {
      this.push(`${prefix}${this.pick(['', '  '])}`); // null
      this.afterEmpty = true;
    } else {
      this.push(`${prefix} ${this.scalar(false)}${this.trailer()}`);
    }
  }

  private map(indent: number, depth: number, first = '', used = new Set<string>()): void {
    const n = 1 + this.int(5);
    for (let i = 0; i < n; i++) {
      let key = this.key();
      if (used.has(key)) key = `key${used.size}`;
      used.add(key);
      const lead = i === 0 && first ? first : ' '.repeat(indent);
      this.value(indent, `${lead}${key}:`, depth);
      this.filler(indent);
    }
  }

  private seq(indent: number, depth: number): void {
    const n = 1 + this.int(4);
    for (let i = 0; i < n; i++) {
      const dash = `${' '.repeat(indent)}-${this.pick([' ', ' ', '   '])}`;
      const r = this.random();
      if (depth < 3 && r < 0.45) this.map(dash.length, depth + 1, dash);
      else if (r < 0.55) this.blockScalar(indent, dash);
      else if (r < 0.7) this.push(`${dash}${this.flow(0)}${this.trailer()}`);
      else this.push(`${dash}${this.scalar(false)}${this.trailer()}`);
      this.filler(indent);
    }
  }

  document(): string {
    this.lines = [];
    this.filler(0);
    this.push('apiVersion: opsctl/v1', 'kind: Runbook', `name: gen${this.int(1000)}`);
    this.map(0, 0, '', new Set(['apiVersion', 'kind', 'name', 'steps']));
    this.push(`steps${this.pick([':', ':', ': # steps'])}`);
    this.filler(2);
    this.seq(this.pick([0, 2, 2, 4]), 1);
    this.filler(0);
    const text = this.lines.join('\n');
    return this.chance(0.8) ? `${text}\n` : text;
  }
}

describe('fast YAML path: generated runbook-like documents', () => {
  // FUZZ_SEED / FUZZ_N (environment) run other and more cases, for a longer search by hand.
  const base = Number(process.env.FUZZ_SEED ?? 0) * 1000;
  const generators = Array.from({ length: Number(process.env.FUZZ_N ?? 400) }, (_, seed) => new Generator(base + seed + 1));
  const documents = generators.map((g) => g.document());

  it('takes most of them and builds them exactly as yaml does', () => {
    let taken = 0;
    const failures: string[] = [];
    for (const [i, text] of documents.entries()) {
      const { fast, problems } = compare(text);
      if (problems.length) failures.push(`#${i}: ${problems.join('; ')}\n${text}`);
      if (fast) taken++;
      else if (!parseDocument(text, YAML_PARSE_OPTIONS).errors.length && !generators[i]?.mayBail) failures.push(`#${i} not taken: ${fastParseBailReason(text)}\n${text}`);
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(taken).toBeGreaterThan(documents.length * 0.6);
  });

  it('never takes a broken variant, and builds the ones it takes exactly', () => {
    // Random edits of the generated documents: characters that matter to YAML inserted,
    // deleted or replaced, lines duplicated or re-indented.
    const bases = [...documents, ...['runbooks', 'templates'].flatMap(yamlFiles).map((file) => readFileSync(join(ROOT, file), 'utf8'))];
    const random = prng(Number(process.env.FUZZ_SEED ?? 12345));
    const pieces = [' ', '  ', '\n', '\t', ':', ': ', '- ', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '>', '?', '%', '@', '\\', '---\n', '\r\n', 'x'];
    let taken = 0;
    const failures: string[] = [];
    for (let n = 0; n < Number(process.env.FUZZ_N ?? 1500); n++) {
      let text = bases[n % bases.length] ?? '';
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (text.length + 1));
        const r = random();
        if (r < 0.4) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
        else if (r < 0.6) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else if (r < 0.8) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at + 1);
        else {
          const lines = text.split('\n');
          const i = Math.floor(random() * lines.length);
          const line = lines[i] ?? '';
          if (random() < 0.5) lines.splice(i, 0, line);
          else lines[i] = random() < 0.5 ? ` ${line}` : line.replace(/^ /, '');
          text = lines.join('\n');
        }
      }
      const { fast, problems } = compare(text);
      if (fast) taken++;
      if (problems.length) failures.push(`${problems.join('; ')}\n${JSON.stringify(text)}`);
    }
    if (process.env.FUZZ_N) console.log('mutations taken', taken);
    expect(failures.slice(0, 3)).toEqual([]);
    expect(taken).toBeGreaterThan(100);
  });
});
