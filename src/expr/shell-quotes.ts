/**
 * Where in a bash script a position falls, as far as expansion goes: `${OPSCTL_V1}` is expanded
 * unquoted, inside "…", $( … ), `…` and an unquoted here-document, but is plain text inside '…',
 * $'…' and a quoted here-document (<<'EOF'). `scriptify` asks this for each `${{ }}` so a value
 * inside single quotes still reaches bash (the quote is closed around it) instead of the
 * literal text `${OPSCTL_V1}`. A lexer, not a parser: it follows quotes, escapes, comments,
 * command substitutions and here-documents, which is what decides expansion.
 */
export type ShellContext =
  /** `${V}` expands: unquoted, in "…", in $( … ) or `…`, in a comment, in an unquoted here-document. */
  | 'expands'
  /** Inside '…': close and reopen the quote around the value. */
  | 'single'
  /** Inside $'…': close and reopen it as $'. */
  | 'ansi'
  /** Inside a quoted here-document (<<'EOF'): bash never expands anything there. */
  | 'literal-heredoc';

type Frame =
  | { readonly kind: 'top' }
  | { kind: 'cmd'; depth: number; readonly arithmetic: boolean }
  | { readonly kind: 'backtick' }
  | { readonly kind: 'double' }
  | { readonly kind: 'single' }
  | { readonly kind: 'ansi' }
  | { readonly kind: 'comment' }
  | { readonly kind: 'heredoc'; readonly delimiter: string; readonly quoted: boolean; readonly stripTabs: boolean; line: string };

interface PendingHeredoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

export class ShellQuoteTracker {
  readonly #stack: Frame[] = [{ kind: 'top' }];
  #pending: PendingHeredoc[] = [];
  /** The character before the current one (an expression counts as a word character). */
  #previous = '\n';

  /** Feeds a piece of script text (the parts between expressions, in order). */
  feed(text: string): void {
    for (let i = 0; i < text.length; i++) i = this.#step(text, i);
  }

  /** An expression's value sits here: it counts as part of a word (and of a here-document line). */
  value(): void {
    const top = this.#top();
    if (top.kind === 'heredoc') top.line += '\u0000';
    this.#previous = 'x';
  }

  context(): ShellContext {
    const top = this.#top();
    switch (top.kind) {
      case 'single':
        return 'single';
      case 'ansi':
        return 'ansi';
      case 'heredoc':
        return top.quoted ? 'literal-heredoc' : 'expands';
      default:
        return 'expands';
    }
  }

  #top(): Frame {
    return this.#stack[this.#stack.length - 1]!;
  }

  /** Handles text[i] (and what it starts); returns the index of the last character consumed. */
  #step(text: string, i: number): number {
    const c = text[i]!;
    const next = text[i + 1];
    const top = this.#top();
    const consumed = (end: number) => {
      this.#previous = text[end]!;
      return end;
    };
    switch (top.kind) {
      case 'single':
        if (c === "'") this.#stack.pop();
        return consumed(i);
      case 'ansi':
        if (c === '\\') return consumed(Math.min(i + 1, text.length - 1));
        if (c === "'") this.#stack.pop();
        return consumed(i);
      case 'comment':
        if (c === '\n') {
          this.#stack.pop();
          return this.#newline(text, i);
        }
        return consumed(i);
      case 'heredoc':
        if (c === '\n') {
          const line = top.stripTabs ? top.line.replace(/^\t+/, '') : top.line;
          if (line === top.delimiter) {
            this.#stack.pop();
            this.#startHeredoc();
          } else top.line = '';
          return consumed(i);
        }
        top.line += c;
        return consumed(i);
      case 'double':
        if (c === '\\') return consumed(Math.min(i + 1, text.length - 1));
        if (c === '"') this.#stack.pop();
        else if (c === '$' && next === '(') {
          this.#stack.push({ kind: 'cmd', depth: 0, arithmetic: text[i + 2] === '(' });
          return consumed(i + 1);
        } else if (c === '`') this.#stack.push({ kind: 'backtick' });
        return consumed(i);
      case 'top':
      case 'cmd':
      case 'backtick':
        return this.#code(text, i, top);
      default: {
        const never: never = top;
        return never;
      }
    }
  }

  /** Unquoted code: quotes, escapes, substitutions, comments, here-documents. */
  #code(text: string, i: number, top: Frame & { kind: 'top' | 'cmd' | 'backtick' }): number {
    const c = text[i]!;
    const next = text[i + 1];
    const consumed = (end: number) => {
      this.#previous = text[end]!;
      return end;
    };
    if (c === '\\') return consumed(Math.min(i + 1, text.length - 1));
    if (c === "'") {
      this.#stack.push({ kind: 'single' });
      return consumed(i);
    }
    if (c === '"') {
      this.#stack.push({ kind: 'double' });
      return consumed(i);
    }
    if (c === '$' && next === "'") {
      this.#stack.push({ kind: 'ansi' });
      return consumed(i + 1);
    }
    if (c === '$' && next === '(') {
      this.#stack.push({ kind: 'cmd', depth: 0, arithmetic: text[i + 2] === '(' });
      return consumed(i + 1);
    }
    if (c === '`') {
      if (top.kind === 'backtick') this.#stack.pop();
      else this.#stack.push({ kind: 'backtick' });
      return consumed(i);
    }
    if (top.kind === 'cmd' && c === '(') top.depth++;
    if (top.kind === 'cmd' && c === ')') {
      if (top.depth === 0) this.#stack.pop();
      else top.depth--;
      return consumed(i);
    }
    if (c === '#' && WORD_BREAK.has(this.#previous)) {
      this.#stack.push({ kind: 'comment' });
      return consumed(i);
    }
    // `$(( 1 << 2 ))` shifts; it does not start a here-document.
    const arithmetic = top.kind === 'cmd' && top.arithmetic;
    if (c === '<' && next === '<' && text[i + 2] !== '<' && !arithmetic) return this.#heredocOperator(text, i);
    if (c === '<' && next === '<') return consumed(i + 2);
    if (c === '\n') return this.#newline(text, i);
    return consumed(i);
  }

  /** `<<WORD`, `<<-WORD`, `<<'WORD'`, `<<"WORD"`: the body starts at the next line. */
  #heredocOperator(text: string, i: number): number {
    const match = /^<<(-?)[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|\\?([A-Za-z0-9_.-]+))/.exec(text.slice(i));
    if (!match) {
      this.#previous = '<';
      return i + 1;
    }
    const quoted = match[2] !== undefined || match[3] !== undefined || match[0].includes('\\');
    const delimiter = match[2] ?? match[3] ?? match[4] ?? '';
    this.#pending.push({ delimiter, quoted, stripTabs: match[1] === '-' });
    const end = i + match[0].length - 1;
    this.#previous = text[end]!;
    return end;
  }

  #newline(text: string, i: number): number {
    this.#previous = '\n';
    if (this.#top().kind === 'top' || this.#top().kind === 'cmd') this.#startHeredoc();
    void text;
    return i;
  }

  #startHeredoc(): void {
    const next = this.#pending.shift();
    if (next) this.#stack.push({ kind: 'heredoc', ...next, line: '' });
  }
}
