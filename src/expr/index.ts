/** `${{ }}` expressions: CEL through @marcbachmann/cel-js, templates, contexts, dry-run unknowns. */
export { scanTemplate, hasExpression, singleExpression, type TemplatePart, type TemplateScan } from './template';
export { evaluateExpression, evaluateCondition, conditionSource } from './evaluate';
export { interpolate, resolveValue, scriptify, type Scriptified } from './interpolate';
export { parseCel, typeCheck, RUN_FUNCTIONS, globalFunctions, type Parsed, type TypeChecked } from './cel';
export { extractReferences, type Reference, type CallReference } from './references';
export { Unknown, isUnknown } from './unknown';
export { ExpressionError } from './errors';
export { stringify } from './values';
export {
  CONTEXT_ROOTS,
  STEP_FIELDS,
  RUN_FIELDS,
  ENVIRONMENT_FIELDS,
  runFailed,
  type ExprContext,
  type StepState,
  type RunInfo,
  type ContextRoot,
} from './context';
