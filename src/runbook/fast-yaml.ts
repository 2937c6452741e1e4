import { Document, isMap, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Range, type ScalarTag } from 'yaml';

/**
 * A fast path for `parseDocument(text, YAML_PARSE_OPTIONS)` over the YAML that runbooks are made
 * of. The `yaml` library's lexer → CST → composer pipeline is general and, in a short-lived CLI,
 * mostly runs cold; this is one hand-written pass over the lines that builds the very same AST
 * (`YAMLMap`, `YAMLSeq`, `Pair`, `Scalar`, with the same values, scalar types, `flow` flags and
 * `[start, valueEnd, nodeEnd]` ranges), for the subset it fully understands:
 *
 * - a root block mapping at column 0; block mappings and sequences at any indentation, including
 *   `- key: value` maps in sequences and sequences at their key's indentation (`key:\n- a`);
 * - one-line flow sequences and maps, nested (`[a, "b"]`, `{ id: x, n: [1, 2] }`);
 * - one-line plain, single- and double-quoted scalars (all escapes), with the core schema's
 *   null / bool / int / float resolution done by `yaml`'s own tags;
 * - block scalars `|` and `>` with chomping and indentation indicators;
 * - comments and blank lines anywhere a comment may go, and keys without a value (null).
 *
 * Anything else returns `undefined` and the caller parses with `yaml` itself: anchors, aliases,
 * tags, directives, document markers, explicit keys, multi-line plain / quoted scalars or flow
 * collections, tabs outside of quotes / block scalar text / comments, CR line ends, duplicate or
 * `<<` keys, anything `yaml` would report as an error or a warning, and a few valid but unusual
 * shapes (an empty sequence item, a comment after a key without a value, ...). A fallback only
 * costs time; a wrong tree would be a silent bug, so when in doubt this gives up.
 *
 * Not reproduced: comments (`comment`, `commentBefore`) and `spaceBefore` on nodes, which are only
 * used when a document is written back out; nothing here does that with a parsed runbook.
 *
 * Where a node's range ends (`range[2]`) follows yaml's CST rules for the comment and blank lines
 * that come after a value; see `gap()` and `popEnd()`. test/unit/runbook/fast-yaml.test.ts checks
 * all of it against `parseDocument`, node by node.
 */
export function fastParseDocument(text: string): Document.Parsed | undefined {
  const result = parseFast(text);
  return result instanceof Unsupported ? undefined : result;
}

/** Why the fast path gives up on `text` (for tests and debugging), or undefined when it does not. */
export function fastParseBailReason(text: string): string | undefined {
  const result = parseFast(text);
  return result instanceof Unsupported ? `${result.reason} at offset ${result.offset}` : undefined;
}

/** The options opsctl parses YAML with; the fast path builds what `parseDocument` gives with them. */
/**
 * The plain JS value of a document the fast path built: the same as `doc.toJS()` (the test
 * checks it on every document it takes), without the work toJS does for anchors, merge keys and
 * tags, which such a document cannot hold.
 */
export function plainValue(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map(plainValue);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      const name = key === null || key === undefined ? '' : String(key);
      // As yaml does: a `__proto__` key is an own property, never the object's prototype.
      if (name === '__proto__') Object.defineProperty(out, name, { value: plainValue(pair.value), writable: true, enumerable: true, configurable: true });
      else out[name] = plainValue(pair.value);
    }
    return out;
  }
  return null;
}

export const YAML_PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true, keepSourceTokens: false } as const;

/** The nodes built here always have a range. */
type Ranged<T> = T & { range: Range };
type Node = Ranged<Scalar> | Ranged<YAMLMap<Scalar, Node>> | Ranged<YAMLSeq<Node>>;

// The node classes, read once: in opsctl's CommonJS bundle every read of an import from 'yaml' is
// a getter call, which adds up on a cold start when repeated for each of thousands of nodes.
const NewScalar = Scalar;
const NewPair = Pair;
const NewMap = YAMLMap;
const NewSeq = YAMLSeq;
const PLAIN: Scalar.Type = 'PLAIN';
const QUOTE_DOUBLE: Scalar.Type = 'QUOTE_DOUBLE';
const QUOTE_SINGLE: Scalar.Type = 'QUOTE_SINGLE';
const BLOCK_LITERAL: Scalar.Type = 'BLOCK_LITERAL';
const BLOCK_FOLDED: Scalar.Type = 'BLOCK_FOLDED';

class Unsupported {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {}
}

function parseFast(text: string): Document.Parsed | Unsupported {
  // CR line ends, a byte order mark, and the characters yaml's lexer uses as its own markers.
  const odd = /[\r\uFEFF\x02\x18\x1f]/.exec(text);
  if (odd) return new Unsupported('unsupported character', odd.index);
  try {
    return new FastParser(text).document();
  } catch (error) {
    if (error instanceof Unsupported) return error;
    throw error;
  }
}

// Character codes.
const NL = 10;
const TAB = 9;
const SPACE = 32;
const HASH = 35;
const DQUOTE = 34;
const SQUOTE = 39;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const GT = 62;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;

const isFlowIndicator = (c: number): boolean => c === COMMA || c === LBRACKET || c === RBRACKET || c === LBRACE || c === RBRACE;
/** yaml's `isEmpty`: white space, a line end, or the end of the text (NaN from charCodeAt). */
const isBlank = (c: number): boolean => c === SPACE || c === NL || c === TAB || Number.isNaN(c);

/**
 * Whether a plain scalar could be anything but a string in the core schema: the tests of its null,
 * bool, int and float tags only match the empty string and strings starting with a digit,
 * `+ - .`, or spelled `~`, `null`, `true`, `false` (in some case).
 */
function mayBeTyped(source: string): boolean {
  const c = source.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === DASH || c === DOT) return true;
  if (c === 126) return source.length === 1; // ~
  if (c === 110 || c === 78 || c === 116 || c === 84) return source.length === 4; // null, true
  if (c === 102 || c === 70) return source.length === 5; // false
  return source === '';
}

/** Double-quoted escapes with a fixed meaning (yaml's `escapeCodes`). */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/**
 * One-line plain scalars (sticky, from the scalar's first character): words of characters other
 * than white space and `:`, or a `:` not followed by a blank (nor, in a flow, by a flow
 * indicator), separated by runs of spaces not followed by `#`. Regular expressions run as native
 * code almost at once, where a loop over characters would be interpreted on a cold start.
 */
const PLAIN_BLOCK = /(?:[^ \t\n:]|:(?![ \t\n]|$))+(?: +(?![ #])(?:[^ \t\n:]|:(?![ \t\n]|$))+)*/y;
const PLAIN_FLOW = /(?:[^ \t\n:,[\]{}]|:(?![ \t\n,[\]{}]|$))+(?: +(?![ #])(?:[^ \t\n:,[\]{}]|:(?![ \t\n,[\]{}]|$))+)*/y;

const MAX_FLOW_DEPTH = 32;
/** yaml requires an implicit key's `:` within 1024 characters of its start. */
const MAX_KEY_LENGTH = 1000;

class FastParser {
  private readonly len: number;
  private readonly doc = new Document(undefined, YAML_PARSE_OPTIONS);
  private readonly schema = this.doc.schema;
  /** The core schema's tags that resolve plain scalars, in yaml's order. */
  private readonly tags: (ScalarTag & { test: RegExp })[];
  private pos = 0;
  /** The end of the key scanKey() found last. */
  private keyEnd = 0;

  // What follows the value just read, set by gap():
  /** Offset of the first character of the next content line, or -1 at the end of the text. */
  private nextPos = -1;
  /** Indentation of that line. */
  private nextIndent = 0;
  /**
   * yaml's parser collects the blank and comment lines after a value (those not absorbed into
   * the value itself) in a "trailing item" of the innermost collection. When that collection
   * ends, the item moves up to its parent, unless the collection is indented and one of those
   * comments is at least as indented as it: then it stays, and the collection's range[2] runs to
   * the next content line. This is the largest indentation of those comments (-1: none).
   */
  private tailComment = -1;
  /** Whether such a trailing item exists at the end of the text (it extends the document's range). */
  private tailPresent = false;

  constructor(private readonly text: string) {
    this.len = text.length;
    this.tags = this.schema.tags.filter((tag): tag is ScalarTag & { test: RegExp } => tag.collection === undefined && tag.default === true && tag.test instanceof RegExp);
  }

  document(): Document.Parsed {
    // Blank and comment lines before the document belong to the stream, not to the document.
    let p = 0;
    for (;;) {
      const q = this.skipSpaces(p);
      const c = this.text.charCodeAt(q);
      if (q >= this.len) throw this.fail('empty document', q);
      if (c === NL) p = q + 1;
      else if (c === HASH) p = this.nextLine(q);
      else if (q > p) throw this.fail('the document does not start at column 0', q);
      else break;
    }
    this.checkContentLine(p, 0);
    const colon = this.scanKey(p);
    if (colon < 0) throw this.fail('the document is not a block mapping', p);
    this.pos = p;
    const root = this.blockMap(0, colon);
    if (this.nextPos >= 0) throw this.fail('content after the root mapping', this.nextPos);
    const doc = this.doc as Document.Parsed;
    doc.contents = root as unknown as Document.Parsed['contents'];
    const end = root.range[2];
    doc.range = [p, end, this.tailPresent ? this.len : end];
    return doc;
  }

  // ---- block collections ----------------------------------------------------------------

  /**
   * A block mapping whose first key starts at this.pos, at column `indent`; `colon` is where
   * scanKey() found the `:` of that key (-1: not a key).
   */
  private blockMap(indent: number, colon: number): Ranged<YAMLMap<Scalar, Node>> {
    const map = new NewMap<Scalar, Node>(this.schema) as Ranged<YAMLMap<Scalar, Node>>;
    const start = this.pos;
    let end = start;
    for (;;) {
      this.tailComment = -1; // a trailing item before this key became the start of its pair
      if (colon < 0) throw this.fail('expected a key', this.pos);
      const key = this.key(this.pos, colon);
      const value = key.value;
      if (this.badKey(map, value)) throw this.fail('duplicate, merge or NaN key', key.range[0]);
      const node = this.mapValue(indent);
      map.items.push(new NewPair(key, node));
      end = node.range[2];
      if (this.nextPos < 0 || this.nextIndent < indent) break;
      if (this.nextIndent > indent) throw this.fail('unexpected indentation', this.nextPos);
      // A `- ` at the mapping's own column after a complete value is an error in yaml.
      if (this.isDashItem(this.nextPos)) throw this.fail('sequence item in a mapping', this.nextPos);
      this.pos = this.nextPos;
      colon = this.scanKey(this.pos);
    }
    map.range = [start, end, this.popEnd(indent, end)];
    return map;
  }

  /** A block sequence whose first `-` is at this.pos, at column `indent`. */
  private blockSeq(indent: number): Ranged<YAMLSeq<Node>> {
    const seq = new NewSeq<Node>(this.schema) as Ranged<YAMLSeq<Node>>;
    const start = this.pos;
    let end = start;
    for (;;) {
      this.tailComment = -1;
      const dash = this.pos;
      if (this.text.charCodeAt(dash + 1) !== SPACE) throw this.fail('empty sequence item', dash);
      const p = this.skipSpaces(dash + 1);
      const c = this.text.charCodeAt(p);
      if (c === NL || c === HASH || p >= this.len) throw this.fail('empty sequence item', dash);
      let node: Node;
      const colon = this.scanKey(p);
      if (colon >= 0) {
        // `- key: value`: a mapping at the key's column.
        this.pos = p;
        node = this.blockMap(indent + (p - dash), colon);
      } else {
        node = this.inlineValue(p, indent);
      }
      seq.items.push(node);
      end = node.range[2];
      if (this.nextPos < 0 || this.nextIndent < indent) break;
      if (this.nextIndent > indent) throw this.fail('unexpected indentation', this.nextPos);
      // A key at the sequence's column: the sequence was the value of the previous key
      // (`key:\n- a\nnext: 1`); the parent mapping takes it from here.
      if (!this.isDashItem(this.nextPos)) break;
      this.pos = this.nextPos;
    }
    seq.range = [start, end, this.popEnd(indent, end)];
    return seq;
  }

  /**
   * A key yaml would reject as a duplicate (it compares key values with `===`), a merge key `<<`,
   * or a NaN key (never a duplicate in yaml; not worth a special case here).
   */
  private badKey(map: YAMLMap<Scalar, Node>, value: unknown): boolean {
    if (value === '<<' || (typeof value === 'number' && Number.isNaN(value))) return true;
    const items = map.items;
    for (let i = 0; i < items.length; i++) if (items[i]?.key.value === value) return true;
    return false;
  }

  /**
   * Where a block collection at `indent` that ends here ends (range[2]): yaml's parser moves the
   * trailing item of blank and comment lines to the parent unless the collection is indented and
   * a comment in it is at least as indented as the collection (`every(st => st.indent < token.indent)`
   * in its `pop()`); kept, it runs to the next content line (or the end of the text).
   */
  private popEnd(indent: number, end: number): number {
    if (indent > 0 && this.tailComment >= indent) {
      this.tailComment = -1;
      this.tailPresent = false;
      return this.nextPos < 0 ? this.len : this.nextPos;
    }
    return end;
  }

  /** The value after `key:` (this.pos is just after the colon) of a mapping at `indent`. */
  private mapValue(indent: number): Node {
    const p = this.skipSpaces(this.pos);
    const c = this.text.charCodeAt(p);
    if (!(c === NL || c === HASH || p >= this.len)) return this.inlineValue(p, indent);
    // Nothing on the key's line: a block collection on the next lines, or null.
    const hasComment = c === HASH;
    this.gap(this.nextLine(p), indent, false);
    const next = this.nextPos;
    if (next >= 0 && (this.nextIndent > indent || (this.nextIndent === indent && this.isDashItem(next)))) {
      // The blank and comment lines in between are part of the key's separator, not a trailing item.
      this.tailComment = -1;
      this.pos = next;
      return this.isDashItem(next) ? this.blockSeq(this.nextIndent) : this.blockMap(this.nextIndent, this.scanKey(next));
    }
    // yaml places an empty value's comments (and its range[2]) by rules not worth copying here.
    if (hasComment || this.tailComment >= 0) throw this.fail('comment after a key without a value', p);
    this.tailComment = -1;
    this.tailPresent = false; // the lines after an empty value stay in its separator
    // An empty value sits right after the colon and the spaces after it.
    return this.plainScalar('', p, p);
  }

  /**
   * A value that starts on the current line at `p`: a block scalar, a flow collection or a
   * one-line scalar, in a collection at `indent` (a mapping's key column or a sequence's `-`).
   * Reads up to the next content line (see gap()).
   */
  private inlineValue(p: number, indent: number): Node {
    const c = this.text.charCodeAt(p);
    if (c === PIPE || c === GT) {
      const node = this.blockScalar(p, indent);
      // A block scalar has no "end" tokens in yaml's CST: nothing is absorbed into it.
      this.gap(node.range[2], indent, false);
      return node;
    }
    let node: Node;
    if (c === LBRACKET || c === LBRACE) node = this.flowCollection(p, 0);
    else if (c === DQUOTE || c === SQUOTE) node = this.quoted(p);
    else node = this.plain(p, false);
    node.range[2] = this.gap(this.lineRest(node.range[1]), indent, true);
    return node;
  }

  /**
   * Reads the rest of a line after a value at `p`: spaces and a comment. Returns the offset after
   * the line's end (the value's range[2] so far).
   */
  private lineRest(p: number): number {
    const q = this.skipSpaces(p);
    const c = this.text.charCodeAt(q);
    if (q >= this.len) return this.len;
    if (c === NL) return q + 1;
    // A comment must be separated from the value by white space.
    if (c === HASH && q > p) return this.nextLine(q);
    throw this.fail('unexpected content after a value', q);
  }

  /**
   * Reads the blank and comment lines from `from` (a line start) up to the next content line,
   * setting nextPos / nextIndent / tailComment / tailPresent. With `absorb`, the value just read
   * (a scalar or a flow collection, in a collection at `indent`) takes in the comment lines more
   * indented than that collection that follow it, with any blank lines before them, as long as no
   * other comment line came first: yaml's parser puts them in the value's "end" tokens
   * (`atIndentedComment`). Returns where the value's node then ends.
   */
  private gap(from: number, indent: number, absorb: boolean): number {
    let end = from;
    let p = from;
    let absorbing = absorb;
    this.tailComment = -1;
    while (p < this.len) {
      const q = this.skipSpaces(p);
      const c = this.text.charCodeAt(q);
      if (q >= this.len) break;
      if (c === NL) {
        p = q + 1;
        continue;
      }
      if (c === TAB) throw this.fail('tab in indentation', q);
      const column = q - p;
      if (c === HASH) {
        p = this.nextLine(q);
        if (absorbing && column > indent) end = p;
        else {
          absorbing = false;
          if (column > this.tailComment) this.tailComment = column;
        }
        continue;
      }
      this.checkContentLine(q, column);
      this.nextPos = q;
      this.nextIndent = column;
      this.tailPresent = false;
      return end;
    }
    this.nextPos = -1;
    this.tailPresent = end < this.len;
    return end;
  }

  /** Content lines yaml would read as something else than a node of the current document. */
  private checkContentLine(q: number, column: number): void {
    if (column === 0) {
      const three = this.text.slice(q, q + 3);
      if ((three === '---' || three === '...') && isBlank(this.text.charCodeAt(q + 3))) throw this.fail('document marker', q);
    }
  }

  /** `- ` (or `-` at a line end) at `p`: a block sequence item. */
  private isDashItem(p: number): boolean {
    return this.text.charCodeAt(p) === DASH && isBlank(this.text.charCodeAt(p + 1));
  }

  /**
   * If the line at `p` holds an implicit key, a one-line scalar followed by `:` and a blank: the
   * offset of that `:` (and the key's end in this.keyEnd), else -1.
   */
  private scanKey(p: number): number {
    const c = this.text.charCodeAt(p);
    let end: number;
    if (c === DQUOTE || c === SQUOTE) {
      end = this.quoteEnd(p);
      if (end < 0) return -1;
    } else {
      if (!this.plainStartOk(p, false)) return -1;
      end = this.plainEnd(p, false);
    }
    const q = this.skipSpaces(end);
    if (this.text.charCodeAt(q) !== COLON || !isBlank(this.text.charCodeAt(q + 1))) return -1;
    this.keyEnd = end;
    return q;
  }

  /** The key at `p` whose `:` scanKey() just found at `colon`; leaves this.pos after the colon. */
  private key(p: number, colon: number): Ranged<Scalar> {
    if (colon - p > MAX_KEY_LENGTH) throw this.fail('key too long', p);
    const c = this.text.charCodeAt(p);
    const end = this.keyEnd;
    this.pos = colon + 1;
    return c === DQUOTE || c === SQUOTE ? this.quoted(p, end) : this.plainScalar(this.text.slice(p, end), p, end);
  }

  // ---- scalars -------------------------------------------------------------------------------

  /**
   * Whether a plain scalar may start at `p`. Excluded: indicators (`- ? :` followed by a blank or
   * a flow indicator), the characters yaml reads as something else or rejects
   * (`, [ ] { } # & * ! | > ' " % @ \``), white space and the end of the line.
   */
  private plainStartOk(p: number, inFlow: boolean): boolean {
    const c = this.text.charCodeAt(p);
    switch (c) {
      case COMMA:
      case LBRACKET:
      case RBRACKET:
      case LBRACE:
      case RBRACE:
      case HASH:
      case 38: // &
      case 42: // *
      case 33: // !
      case PIPE:
      case GT:
      case SQUOTE:
      case DQUOTE:
      case 37: // %
      case 64: // @
      case 96: // `
      case 63: // ? (also valid as `?x`, but not worth telling apart from an explicit key)
      case COLON:
        return false;
      case DASH: {
        const n = this.text.charCodeAt(p + 1);
        return !(isBlank(n) || (inFlow && isFlowIndicator(n)));
      }
      default:
        return !isBlank(c);
    }
  }

  /**
   * The end of a one-line plain scalar starting at `p` (yaml's `parsePlainScalar` on one line): it
   * stops at `: ` (or `:` at the line end), at ` #`, at the line end and, in a flow collection, at
   * `, [ ] { }` and at `:` before one of them. Trailing spaces are not part of it. A tab ends it
   * too (what follows then fails as content after the value).
   */
  private plainEnd(p: number, inFlow: boolean): number {
    const re = inFlow ? PLAIN_FLOW : PLAIN_BLOCK;
    re.lastIndex = p;
    return re.test(this.text) ? re.lastIndex : p;
  }

  private plain(p: number, inFlow: boolean): Ranged<Scalar> {
    if (!this.plainStartOk(p, inFlow)) throw this.fail('unsupported value', p);
    const end = this.plainEnd(p, inFlow);
    return this.plainScalar(this.text.slice(p, end), p, end);
  }

  /** A plain scalar resolved like yaml's `composeScalar` does: the first default tag whose test matches. */
  private plainScalar(source: string, start: number, end: number): Ranged<Scalar> {
    let node: Scalar | undefined;
    let format: string | undefined;
    if (mayBeTyped(source)) {
      for (const tag of this.tags) {
        if (!tag.test.test(source)) continue;
        const value = tag.resolve(
          source,
          (message) => {
            throw this.fail(`tag error: ${message}`, start);
          },
          this.doc.options,
        );
        node = value instanceof NewScalar ? value : new NewScalar(value);
        format = tag.format;
        break;
      }
    }
    const scalar = (node ?? new NewScalar(source)) as Ranged<Scalar>;
    // In the order yaml's composer sets them.
    scalar.range = [start, end, end];
    scalar.source = source;
    scalar.type = PLAIN;
    if (format) scalar.format = format;
    return scalar;
  }

  /** The offset after the closing quote of the one-line quoted scalar at `p`, or -1. */
  private quoteEnd(p: number): number {
    const text = this.text;
    const quote = text[p] ?? '';
    const lineEnd = text.indexOf('\n', p);
    const limit = lineEnd < 0 ? this.len : lineEnd;
    let i = text.indexOf(quote, p + 1);
    for (;;) {
      if (i < 0 || i >= limit) return -1;
      if (quote === "'") {
        // `''` is an escaped quote.
        if (text.charCodeAt(i + 1) !== SQUOTE) return i + 1;
        i = text.indexOf(quote, i + 2);
      } else {
        // `\"` is an escaped quote, `\\"` is not.
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
        if (backslashes % 2 === 0) return i + 1;
        i = text.indexOf(quote, i + 1);
      }
    }
  }

  private quoted(p: number, end = this.quoteEnd(p)): Ranged<Scalar> {
    if (end < 0) throw this.fail('multi-line or unterminated quoted scalar', p);
    const inner = this.text.slice(p + 1, end - 1);
    let value: string;
    let type: Scalar.Type;
    if (this.text.charCodeAt(p) === SQUOTE) {
      value = inner.includes("''") ? inner.replace(/''/g, "'") : inner;
      type = QUOTE_SINGLE;
    } else {
      value = inner.includes('\\') ? this.unescape(inner, p + 1) : inner;
      type = QUOTE_DOUBLE;
    }
    const node = new NewScalar(value) as Ranged<Scalar>;
    node.range = [p, end, end];
    node.source = value;
    node.type = type;
    return node;
  }

  /** The escapes of a one-line double-quoted scalar (yaml's `doubleQuotedValue`). */
  private unescape(inner: string, offset: number): string {
    let out = '';
    for (let i = 0; i < inner.length; i++) {
      const ch = inner[i] ?? '';
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const next = inner[++i] ?? '';
      const fixed = ESCAPES[next];
      if (fixed !== undefined) {
        out += fixed;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = inner.substr(i + 1, length);
        const code = hex.length === length && /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : NaN;
        if (!(code <= 0x10ffff)) throw this.fail('invalid escape', offset + i - 1);
        out += String.fromCodePoint(code);
        i += length;
      } else {
        throw this.fail('invalid escape', offset + i - 1);
      }
    }
    return out;
  }

  /**
   * A block scalar whose header (`|`, `>-`, `|2+` ...) is at `h`, in a collection at `indent`.
   * Where it ends follows yaml's lexer (`parseBlockScalar`); its value, yaml's
   * `resolveBlockScalar`.
   */
  private blockScalar(h: number, indent: number): Ranged<Scalar> {
    const folded = this.text.charCodeAt(h) === GT;
    let chomp = '';
    let explicit = 0;
    let i = h + 1;
    for (; i < this.len; i++) {
      const c = this.text.charCodeAt(i);
      if (isBlank(c) || c === HASH) break;
      if ((c === DASH || c === 43) && !chomp) chomp = c === DASH ? '-' : '+';
      else if (c >= 49 && c <= 57 && !explicit) explicit = c - 48;
      else throw this.fail('bad block scalar header', h);
    }
    const contentStart = this.lineRest(i);
    if (contentStart >= this.len) throw this.fail('empty block scalar', h);

    // The first line that is not blank sets the indentation (unless given in the header).
    let nl = contentStart - 1;
    let firstIndent = 0;
    let j = contentStart;
    for (; j < this.len; j++) {
      const c = this.text.charCodeAt(j);
      if (c === SPACE) firstIndent++;
      else if (c === NL) {
        nl = j;
        firstIndent = 0;
      } else break;
    }
    if (j >= this.len || firstIndent <= indent) throw this.fail('empty block scalar', h);
    if (this.text.charCodeAt(j) === TAB) throw this.fail('tab in a block scalar indentation', j);
    const minIndent = explicit ? indent + explicit : firstIndent;
    if (firstIndent < minIndent) throw this.fail('block scalar less indented than its indicator', j);

    // Lines belong to it while they are blank or indented at least that much.
    for (;;) {
      let k = nl + 1;
      let spaces = 0;
      while (this.text.charCodeAt(k) === SPACE) {
        k++;
        spaces++;
      }
      const c = this.text.charCodeAt(k);
      // (yaml's `continueScalar`: a line of only spaces at the very end counts when indented enough)
      if (!(c === NL || spaces >= minIndent)) break;
      if (c === TAB) throw this.fail('tab in a block scalar indentation', k);
      nl = this.text.indexOf('\n', k);
      if (nl < 0) break;
    }
    if (nl < 0) nl = this.len;
    {
      // yaml keeps tabs after a block scalar in it, to report them; not worth following.
      let k = nl + 1;
      while (this.text.charCodeAt(k) === SPACE) k++;
      if (this.text.charCodeAt(k) === TAB) throw this.fail('tab after a block scalar', k);
    }
    if (chomp !== '+') {
      // Trailing blank lines no more indented than the first line are not part of the token.
      for (;;) {
        let k = nl - 1;
        const last = k;
        while (this.text.charCodeAt(k) === SPACE) k--;
        if (this.text.charCodeAt(k) === NL && k >= contentStart && k + 1 + firstIndent > last) nl = k;
        else break;
      }
    }
    const end = Math.min(nl + 1, this.len);
    const source = this.text.slice(contentStart, end);
    const value = blockScalarValue(source, folded, chomp, explicit ? indent + explicit : 0, indent);
    if (value === undefined) throw this.fail('block scalar yaml would reject', h);
    const node = new NewScalar(value) as Ranged<Scalar>;
    node.range = [h, end, end];
    node.source = value;
    node.type = folded ? BLOCK_FOLDED : BLOCK_LITERAL;
    return node;
  }

  // ---- flow collections ----------------------------------------------------------------------

  /**
   * A one-line flow sequence or mapping at `p`. Its range[2] is right after the closing bracket;
   * the caller extends it over what follows. An item's range[2] includes the spaces before the
   * next `,` or the closing bracket; a key's does not.
   */
  private flowCollection(p: number, depth: number): Ranged<YAMLMap<Scalar, Node>> | Ranged<YAMLSeq<Node>> {
    if (depth > MAX_FLOW_DEPTH) throw this.fail('flow collection too deep', p);
    const isMap = this.text.charCodeAt(p) === LBRACE;
    const close = isMap ? RBRACE : RBRACKET;
    const map = isMap ? (new NewMap<Scalar, Node>(this.schema) as Ranged<YAMLMap<Scalar, Node>>) : undefined;
    const seq = isMap ? undefined : (new NewSeq<Node>(this.schema) as Ranged<YAMLSeq<Node>>);
    let q = this.skipSpaces(p + 1);
    if (this.text.charCodeAt(q) !== close) {
      for (;;) {
        let key: Ranged<Scalar> | undefined;
        if (map) {
          key = this.flowScalar(q);
          const value = key.value;
          if (this.badKey(map, value)) throw this.fail('duplicate, merge or NaN key', q);
          q = this.skipSpaces(key.range[1]);
          // `{ a: b }` only: no `{ a }`, `{ a: }`, `{ "a":b }`.
          if (this.text.charCodeAt(q) !== COLON || this.text.charCodeAt(q + 1) !== SPACE) throw this.fail('unsupported flow mapping entry', q);
          q = this.skipSpaces(q + 1);
        }
        const c = this.text.charCodeAt(q);
        const node: Node = c === LBRACKET || c === LBRACE ? this.flowCollection(q, depth + 1) : this.flowScalar(q);
        q = this.skipSpaces(node.range[1]);
        node.range[2] = q;
        if (map && key) map.items.push(new NewPair(key, node));
        else seq?.items.push(node);
        const next = this.text.charCodeAt(q);
        if (next === close) break;
        if (next !== COMMA) throw this.fail('unsupported flow collection', q);
        q = this.skipSpaces(q + 1);
        if (this.text.charCodeAt(q) === close) throw this.fail('trailing comma in a flow collection', q);
      }
    }
    const coll = map ?? seq;
    if (!coll) throw new Error('unreachable');
    coll.flow = true;
    coll.range = [p, q + 1, q + 1];
    return coll;
  }

  private flowScalar(p: number): Ranged<Scalar> {
    const c = this.text.charCodeAt(p);
    return c === DQUOTE || c === SQUOTE ? this.quoted(p) : this.plain(p, true);
  }

  // ---- helpers ------------------------------------------------------------------------------

  private skipSpaces(p: number): number {
    while (this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** The start of the line after the one `p` is on (or the end of the text). */
  private nextLine(p: number): number {
    const nl = this.text.indexOf('\n', p);
    return nl < 0 ? this.len : nl + 1;
  }

  private fail(reason: string, offset: number): Unsupported {
    return new Unsupported(reason, offset);
  }
}

/**
 * The value of a block scalar from its text (yaml's `resolveBlockScalar`, for the cases the
 * lexer above lets through); undefined where yaml would report an error. `explicitIndent` is the
 * content indentation an indentation indicator sets (0: none, the first line sets it);
 * `parentIndent` the collection's.
 */
function blockScalarValue(source: string, folded: boolean, chomp: string, explicitIndent: number, parentIndent: number): string | undefined {
  // [indentation, content] of each line; the text ends with a line end, hence a last empty line.
  const split = source.split(/\n( *)/);
  const first = split[0] ?? '';
  const firstSpaces = /^( *)/.exec(first)?.[1] ?? '';
  const lines: [string, string][] = [[firstSpaces, first.slice(firstSpaces.length)]];
  for (let i = 1; i < split.length; i += 2) lines.push([split[i] ?? '', split[i + 1] ?? '']);

  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i]?.[1] === '') chompStart = i;
    else break;
  }
  if (chompStart === 0) return undefined;

  let trimIndent = explicitIndent || parentIndent;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i] ?? ['', ''];
    if (content === '') {
      if (explicitIndent === 0 && indent.length > trimIndent) trimIndent = indent.length;
    } else {
      // "Block scalars with more-indented leading empty lines must use an explicit indentation indicator"
      if (indent.length < trimIndent) return undefined;
      if (explicitIndent === 0) trimIndent = indent.length;
      contentStart = i;
      if (trimIndent === 0) return undefined;
      break;
    }
  }
  // Trailing more-indented empty lines are content.
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if ((lines[i]?.[0].length ?? 0) > trimIndent) chompStart = i + 1;
  }

  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += (lines[i]?.[0] ?? '').slice(trimIndent) + '\n';
  for (let i = contentStart; i < chompStart; ++i) {
    const [indent, content] = lines[i] ?? ['', ''];
    if (content && indent.length < trimIndent) return undefined;
    if (!folded) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent || content[0] === '\t') {
      // More-indented lines of a folded scalar keep their line ends.
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  switch (chomp) {
    case '-':
      break;
    case '+':
      for (let i = chompStart; i < lines.length; ++i) value += '\n' + (lines[i]?.[0] ?? '').slice(trimIndent);
      if (value[value.length - 1] !== '\n') value += '\n';
      break;
    default:
      value += '\n';
  }
  return value;
}
