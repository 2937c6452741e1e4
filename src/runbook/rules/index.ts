import { noCycles } from './cycles';
import { expressionsCheck } from './expressions';
import { inputCheck } from './inputs';
import { needsExist } from './needs';
import { outputSelectors } from './outputs';
import { paramsCheck } from './params';
import { protectedNeedsConfirm } from './protected-confirm';
import { retryCheck } from './retry';
import { secretsCheck } from './secrets';
import { sqlQueryCheck } from './sql-query';
import { shellQuotesCheck } from './shell-quotes';
import type { Rule } from './types';
import { undoCheck } from './undo';
import { uniqueIds } from './unique-ids';

/** The static checks of DESIGN.md §2, in the order their messages read best. */
export const RULES: readonly Rule[] = [uniqueIds, needsExist, noCycles, paramsCheck, secretsCheck, inputCheck, expressionsCheck, shellQuotesCheck, outputSelectors, sqlQueryCheck, retryCheck, undoCheck, protectedNeedsConfirm];

/** Checks that judge a step as a whole (its action with its undo or confirm): with schema errors, they skip the steps that have any. */
export const STEP_WIDE_RULES: ReadonlySet<Rule> = new Set([undoCheck, protectedNeedsConfirm]);

export { checkStepShapes } from './step-shape';
export type { Rule, RuleContext } from './types';
