/**
 * The one redactor every sink goes through: renderers, journal, run records, error messages,
 * plans and reports. A secret is registered once; afterwards its text, each line of a multi-line
 * value, and their base64 (any byte alignment, standard and URL-safe alphabets) and URL-encoded
 * forms are replaced by `***`.
 *
 * Output arrives line by line (the shell adapter splits streams into lines), so matching one line
 * at a time is enough: a multi-line secret is caught line by line, never across a chunk border.
 */
export const REDACTED = '***';

/** Shorter fragments would hide ordinary text (`a`, `the`) everywhere; they are not registered. */
export const MIN_SECRET_LENGTH = 4;

export class Redactor {
  readonly #needles = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret value (any string; empty and very short values are ignored). */
  add(secret: string): void {
    if (typeof secret !== 'string' || secret.length === 0) return;
    const before = this.#needles.size;
    for (const form of secretForms(secret)) {
      if (form.length >= MIN_SECRET_LENGTH) this.#needles.add(form);
    }
    if (this.#needles.size !== before) this.#pattern = undefined;
  }

  /**
   * Length of the longest hidden text. A stream cut into pieces at arbitrary places (a line too
   * long to keep whole) must carry the last `longest - 1` characters over to the next piece, or a
   * secret straddling the cut escapes.
   */
  get longest(): number {
    let max = 0;
    for (const needle of this.#needles) if (needle.length > max) max = needle.length;
    return max;
  }

  /**
   * Where text that must be cut into pieces (a line too long to keep whole) can be cut at or
   * before `at` without splitting a secret: never inside a match, and never in the last
   * `longest - 1` characters, where a secret may have begun whose end has not arrived yet.
   * The caller keeps `text.slice(cut)` and cuts again when more has arrived.
   */
  safeCut(text: string, at: number): number {
    if (this.#needles.size === 0) return at;
    let cut = Math.min(at, text.length - (this.longest - 1));
    const pattern = (this.#pattern ??= buildPattern(this.#needles));
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match.index >= cut) break;
      if (match.index + match[0].length > cut) cut = match.index;
      if (match[0].length === 0) pattern.lastIndex++;
    }
    return Math.max(cut, 0);
  }

  /** How many distinct texts are hidden (forms included). */
  get size(): number {
    return this.#needles.size;
  }

  /**
   * `text` with every registered secret hidden, and the password of any URL in it
   * (`scheme://user:PASSWORD@host`), registered or not: a database URL given as a plain param
   * (`-p database=postgres://app:pw@db/app`) is never shown with its password.
   */
  redact(text: string): string {
    if (text.length < MIN_SECRET_LENGTH) return text;
    let out = text;
    if (this.#needles.size > 0) {
      const pattern = (this.#pattern ??= buildPattern(this.#needles));
      pattern.lastIndex = 0;
      out = out.replace(pattern, REDACTED);
    }
    return out.includes('://') ? redactUrlPasswords(out) : out;
  }

  /**
   * Registers the password of every URL in `text` (`scheme://user:PASSWORD@`), so that the
   * password is hidden on its own too (an error message, `PGPASSWORD=…`). Returns how many.
   */
  addUrlPasswords(text: string): number {
    const passwords = urlPasswordsIn(text);
    for (const password of passwords) this.add(password);
    return passwords.length;
  }

  /** Deep copy of a JSON-like value with every string redacted (numbers too, if they spell a secret). */
  redactValue(value: unknown): unknown {
    return this.#walk(value, new WeakSet());
  }

  #walk(value: unknown, seen: WeakSet<object>): unknown {
    switch (typeof value) {
      case 'string':
        return this.redact(value);
      case 'number':
      case 'bigint': {
        const text = String(value);
        const redacted = this.redact(text);
        return redacted === text ? value : redacted;
      }
      case 'object': {
        if (value === null) return value;
        // Only an object inside itself is circular: one shared by two fields (a sql step's `row`
        // is `rows[0]`) is copied at each place.
        if (seen.has(value)) return '[circular]';
        if (value instanceof Date) return value;
        seen.add(value);
        try {
          if (Array.isArray(value)) return value.map((item) => this.#walk(item, seen));
          const out: Record<string, unknown> = {};
          for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.#walk(item, seen);
          return out;
        } finally {
          seen.delete(value);
        }
      }
      default:
        return value;
    }
  }
}

let active: { redact(text: string): string } | undefined;

/** The redactor of the run in progress, so the one error printer (`handle-error.ts`) hides its secrets too. */
export function setActiveRedactor(redactor: { redact(text: string): string } | undefined): void {
  active = redactor;
}

/** `text` with the secrets of the run in progress hidden (unchanged when no run registered any). */
export function redactActive(text: string): string {
  return active ? active.redact(text) : text;
}

/** The texts that reveal `secret`: itself, its lines, and their encoded forms. */
export function secretForms(secret: string): Set<string> {
  const forms = new Set<string>();
  const parts = [secret, ...secret.split(/\r?\n/)].map((line) => line.replace(/\r$/, ''));
  // Trimmed lines too: a line of a PEM key or a password file often carries indentation.
  for (const part of parts) {
    for (const text of new Set([part, part.trim()])) {
      if (text.length < MIN_SECRET_LENGTH) continue;
      forms.add(text);
      forms.add(encodeURIComponent(text));
      forms.add(encodeURIComponent(text).replace(/%20/g, '+'));
      for (const b64 of base64Forms(text)) {
        forms.add(b64);
        forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'));
      }
    }
  }
  return forms;
}

/**
 * Base64 of `text` at each of the three byte alignments it can have inside a longer encoded
 * value (`user:password` encodes `password` differently from `password` alone). Only the
 * characters determined by the secret's bytes alone are kept.
 */
export function base64Forms(text: string): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const whole = bytes.toString('base64');
  const forms: string[] = [whole, whole.replace(/=+$/, '')];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64').replace(/=+$/, '');
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= MIN_SECRET_LENGTH) forms.push(core);
  }
  return forms;
}

/** `scheme://user:PASSWORD@` (user may be empty; the password runs to the last `@` before the host). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)([^\s/?#]*)@/gi;

/** The passwords written in URLs inside `text` (decoded as well as written). */
export function urlPasswordsIn(text: string): string[] {
  if (!text.includes('://')) return [];
  const out = new Set<string>();
  for (const match of text.matchAll(URL_USERINFO)) {
    const written = match[2] ?? '';
    if (written === '' || written === REDACTED) continue;
    out.add(written);
    try {
      out.add(decodeURIComponent(written));
    } catch {
      // Not valid percent-encoding: the written form is the password.
    }
  }
  return [...out];
}

/** `text` with the password of each URL in it replaced by `***`. */
export function redactUrlPasswords(text: string): string {
  return text.replace(URL_USERINFO, (whole, head: string, password: string) => (password === '' ? whole : `${head}${REDACTED}@`));
}

function buildPattern(needles: ReadonlySet<string>): RegExp {
  // Longest first: when two secrets start at the same place, the longer one wins.
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
