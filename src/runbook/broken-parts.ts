import { isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Diagnostic } from './diagnostics';
import { ID_PATTERN } from './validate-schema';

/**
 * The parts of a runbook that the schema found wrong, so that the later checks (params,
 * expressions, the step graph) can run over the rest instead of not at all (F9): a person fixing
 * a runbook sees every error in one pass, not a second batch once the first is fixed.
 *
 * A part is as small as its errors allow: one param, secret or var; one field of a step (its
 * `retry`, its action …), or the whole step when the error is on the step itself. Some errors
 * leave nothing the later checks could trust: a step without a usable `id` or with broken
 * `needs` (the graph), broken `defaults` (every step), a section that is not a list or mapping.
 * Then `undefined`: the caller stops after the schema, as before.
 */
export interface BrokenParts {
  /** [start, end) offsets of the broken parts: later findings inside them are not reported. */
  readonly ranges: readonly (readonly [number, number])[];
  /** [start, end) offsets of the whole steps that have an error anywhere in them. */
  readonly stepRanges: readonly (readonly [number, number])[];
}

type Span = readonly [number, number];

export function brokenParts(doc: Document, errors: readonly Diagnostic[]): BrokenParts | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const ranges: Span[] = [];
  const stepRanges: Span[] = [];
  for (const error of errors) {
    const at = error.range.offset;
    const top = root.items.find((pair) => inside(at, pairSpan(pair)));
    if (!top) {
      // Before the first key (a comment) or at the root itself: a missing top-level key, which
      // the later checks do not read. Anything else there is not understood: stop.
      if (error.code === 'missing-key') continue;
      return undefined;
    }
    const key = isScalar(top.key) ? String(top.key.value) : '';
    const value = top.value as Node | null;
    switch (key) {
      case 'params':
      case 'secrets':
      case 'vars': {
        if (!isMap(value)) return undefined;
        const entry = value.items.find((pair) => inside(at, pairSpan(pair)));
        if (!entry || inside(at, nodeSpan(entry.key))) return undefined;
        ranges.push(pairSpan(entry));
        break;
      }
      case 'steps':
      case 'finally': {
        if (!isSeq(value)) return undefined;
        const item = value.items.find((node) => inside(at, nodeSpan(node)));
        if (!isMap(item)) return undefined;
        const id = item.get('id');
        if (typeof id !== 'string' || !ID_PATTERN.test(id)) return undefined;
        const field = item.items.find((pair) => inside(at, pairSpan(pair)));
        const name = field && isScalar(field.key) ? String(field.key.value) : undefined;
        if (name === 'id' || name === 'needs') return undefined;
        ranges.push(field ? pairSpan(field) : nodeSpan(item));
        stepRanges.push(nodeSpan(item));
        break;
      }
      case 'defaults':
        return undefined;
      default:
        ranges.push(pairSpan(top));
    }
  }
  return { ranges, stepRanges };
}

/** Whether an offset falls in a broken part (`wholeSteps`: or anywhere in a step that has one). */
export function inBrokenPart(parts: BrokenParts, offset: number, wholeSteps = false): boolean {
  return parts.ranges.some((span) => inside(offset, span)) || (wholeSteps && parts.stepRanges.some((span) => inside(offset, span)));
}

function inside(offset: number, [start, end]: Span): boolean {
  return offset >= start && offset < end;
}

function nodeSpan(node: unknown): Span {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? [range[0], range[1]] : [0, 0];
}

/** From the key to the end of the value (a key alone, `name:`, spans its key). */
function pairSpan(pair: Pair): Span {
  const [start, keyEnd] = nodeSpan(pair.key);
  const valueEnd = nodeSpan(pair.value)[1];
  return [start, Math.max(keyEnd, valueEnd, start + 1)];
}
