/**
 * Decides whether a `sql` query only reads, without `readonly: true` on the step. The rule is
 * conservative and short enough to explain in one sentence of the README:
 *
 *   a query is a read when it is ONE statement that starts with SELECT, SHOW, VALUES, TABLE,
 *   WITH or EXPLAIN (EXPLAIN ANALYZE only when the explained statement is itself a read), and
 *   contains none of INSERT, UPDATE, DELETE, MERGE, INTO, FOR SHARE and no call of a function
 *   known to change state (nextval, setval, set_config, pg_terminate_backend, pg_advisory_lock,
 *   …), looking outside strings, comments and quoted names.
 *
 * Anything else is a write. A read runs with `default_transaction_read_only = on`, so a function
 * that writes behind a SELECT fails on the server instead of writing during a dry-run.
 */
export type Classification =
  | { readonly effect: 'read' }
  | { readonly effect: 'write'; readonly reason: string };

const READ_STARTS = new Set(['select', 'show', 'values', 'table', 'with', 'explain']);

/**
 * Words that make a SELECT/WITH statement write: data-modifying CTEs and SELECT INTO. Other
 * writing commands (CREATE, VACUUM, COPY, …) can only start a statement, so the first word
 * already rules them out.
 */
const WRITE_WORDS = new Set(['insert', 'update', 'delete', 'merge', 'into']);

/** Functions with effects that a read-only transaction does not stop (or that we never guess). */
const WRITE_FUNCTIONS = [
  /^nextval$/, /^setval$/, /^set_config$/, /^pg_terminate_backend$/, /^pg_cancel_backend$/,
  /^pg_reload_conf$/, /^pg_rotate_logfile$/, /^pg_switch_wal$/, /^pg_promote$/,
  /^pg_create_restore_point$/, /^pg_(try_)?advisory_/, /^pg_stat_reset/, /^pg_(drop|create)_.*replication_slot$/,
  /^pg_replication_origin_/, /^pg_logical_emit_message$/, /^pg_notify$/, /^pg_wal_replay_/,
  /^pg_backup_/, /^pg_file_/, /^lo_/, /^dblink/, /^pg_import_system_collations$/,
];

export function classifySql(sql: string): Classification {
  const statements = splitStatements(tokenize(sql));
  if (statements.length === 0) return { effect: 'write', reason: 'the query is empty' };
  if (statements.length > 1) return { effect: 'write', reason: `it holds ${statements.length} statements` };
  return classifyStatement(statements[0] ?? []);
}

function classifyStatement(tokens: readonly Token[]): Classification {
  const first = tokens[0];
  if (!first || first.kind !== 'word' || !READ_STARTS.has(first.text)) {
    return { effect: 'write', reason: `it starts with ${first ? first.text.toUpperCase() : 'nothing'}` };
  }
  if (first.text === 'explain') return classifyExplain(tokens);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || token.kind !== 'word') continue;
    if (WRITE_WORDS.has(token.text)) return { effect: 'write', reason: `it contains ${token.text.toUpperCase()}` };
    const next = tokens[i + 1];
    if (token.text === 'for' && next?.kind === 'word' && (next.text === 'share' || next.text === 'key' || next.text === 'no')) {
      return { effect: 'write', reason: 'it locks rows (FOR SHARE)' };
    }
    if (next?.kind === 'punct' && next.text === '(' && WRITE_FUNCTIONS.some((pattern) => pattern.test(token.text))) {
      return { effect: 'write', reason: `it calls ${token.text}()` };
    }
  }
  return { effect: 'read' };
}

/** Plain EXPLAIN never executes its statement; EXPLAIN ANALYZE does, so it is what it runs. */
function classifyExplain(tokens: readonly Token[]): Classification {
  let i = 1;
  let analyze = false;
  const isAnalyze = (t: Token | undefined) => t?.kind === 'word' && (t.text === 'analyze' || t.text === 'analyse');
  if (tokens[i]?.kind === 'punct' && tokens[i]?.text === '(') {
    let depth = 0;
    for (; i < tokens.length; i++) {
      const t = tokens[i];
      if (t?.text === '(') depth++;
      else if (t?.text === ')' && --depth === 0) {
        i++;
        break;
      } else if (isAnalyze(t)) {
        const value = tokens[i + 1];
        analyze = !(value?.kind === 'word' && (value.text === 'false' || value.text === 'off' || value.text === '0'));
      }
    }
  } else {
    if (isAnalyze(tokens[i])) {
      analyze = true;
      i++;
    }
    if (tokens[i]?.kind === 'word' && tokens[i]?.text === 'verbose') i++;
  }
  if (!analyze) return { effect: 'read' };
  const inner = classifyStatement(tokens.slice(i));
  return inner.effect === 'read' ? inner : { effect: 'write', reason: `EXPLAIN ANALYZE runs its statement, and ${inner.reason}` };
}

interface Token {
  readonly kind: 'word' | 'punct';
  readonly text: string;
}

/**
 * Words (lower-cased) and punctuation of a query, with comments, strings, quoted identifiers,
 * dollar-quoted bodies and numbers dropped: only what could be a keyword or a function name stays.
 */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      let depth = 0;
      while (i < n) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else if (c === "'" || ((c === 'e' || c === 'E') && next === "'")) {
      const backslashEscapes = c !== "'";
      i += backslashEscapes ? 2 : 1;
      while (i < n) {
        if (backslashEscapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          break;
        } else i++;
      }
    } else if (c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
      } else {
        i++;
        while (i < n && /[0-9]/.test(sql[i] ?? '')) i++; // $1 placeholder
      }
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const start = i;
      while (i < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i] ?? '')) i++;
      tokens.push({ kind: 'word', text: sql.slice(start, i).toLowerCase() });
    } else if (/[0-9.]/.test(c)) {
      while (i < n && /[0-9.eE]/.test(sql[i] ?? '')) i++;
    } else {
      tokens.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return tokens;
}

function splitStatements(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === ';') statements.push([]);
    else statements[statements.length - 1]?.push(token);
  }
  return statements.filter((statement) => statement.length > 0);
}
