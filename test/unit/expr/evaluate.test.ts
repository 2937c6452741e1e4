import { describe, expect, it } from 'vitest';
import { evaluateCondition, evaluateExpression, ExpressionError, interpolate, isUnknown, resolveValue, scriptify, type ExprContext } from '../../../src/expr';

const ctx: ExprContext = {
  params: { version: '1.2.3', replicas: 4, ratio: 0.5, force: false },
  vars: { cluster: 'axiomcore-staging' },
  secrets: { token: 's3cr3t' },
  environment: { name: 'staging', protected: false, vars: { cluster: 'c' } },
  env: { HOME: '/home/x' },
  steps: { build: { status: 'succeeded', outputs: { image: 'api:1', rows: [{ n: 1 }, { n: 3 }] }, exit_code: 0, duration_ms: 1200 } },
  run: { id: 'r-1', user: 'ana', dry_run: false, status: 'running', started_at: '2026-01-01T00:00:00Z' },
};

describe('evaluateExpression', () => {
  it('does integer arithmetic on JS numbers and gives numbers back', () => {
    expect(evaluateExpression('params.replicas * 2', ctx)).toBe(8);
    expect(evaluateExpression('params.ratio * 2.0', ctx)).toBe(1);
    expect(evaluateExpression('[1, "a", {"k": 2}]', ctx)).toEqual([1, 'a', { k: 2 }]);
    expect(evaluateExpression('steps.build.duration_ms > 1000', ctx)).toBe(true);
  });

  it('mixes ints and doubles in arithmetic, as YAML numbers need', () => {
    expect(evaluateExpression('params.ratio * 100', ctx)).toBe(50);
    expect(evaluateExpression('params.replicas / 8.0', ctx)).toBe(0.5);
    expect(evaluateExpression('params.replicas + params.ratio', ctx)).toBe(4.5);
    expect(evaluateExpression('params.replicas / 3', ctx)).toBe(1);
  });

  it('supports macros over outputs', () => {
    expect(evaluateExpression('steps.build.outputs.rows.all(r, r.n > 0)', ctx)).toBe(true);
    expect(evaluateExpression('steps.build.outputs.rows.map(r, r.n * 2)', ctx)).toEqual([2, 6]);
  });

  it('reads `databases`: a configured name stands for its URL, anything else is itself', () => {
    const withDatabases = { ...ctx, databases: { main: 'postgres://app:pw@db:5432/app' } };
    const pick = 'params.database in databases ? databases[params.database] : params.database';
    expect(evaluateExpression(pick, { ...withDatabases, params: { database: 'main' } })).toBe('postgres://app:pw@db:5432/app');
    expect(evaluateExpression(pick, { ...withDatabases, params: { database: 'postgres://x@h/y' } })).toBe('postgres://x@h/y');
    expect(evaluateExpression(pick, { ...ctx, databases: {}, params: { database: 'host=h dbname=y' } })).toBe('host=h dbname=y');
    expect(evaluateExpression('databases.main', withDatabases)).toBe('postgres://app:pw@db:5432/app');
  });

  it('explains a missing context or key', () => {
    expect(() => evaluateExpression('incident.id', ctx)).toThrow('`incident` is only available inside an incident');
    expect(() => evaluateExpression('params.nope', ctx)).toThrow(ExpressionError);
    expect(() => evaluateExpression('params.nope', ctx)).toThrow('no value named `nope` in `${{ params.nope }}`');
    expect(() => evaluateExpression('1 +', ctx)).toThrow('Unexpected token: EOF');
  });

  it('yields Unknown for outputs of steps that have not run', () => {
    const dry = { ...ctx, unknownSteps: new Set(['rollout']) };
    const value = evaluateExpression('steps.rollout.outputs.lb', dry);
    expect(isUnknown(value)).toBe(true);
    expect(String(value)).toBe('<unknown: steps.rollout.outputs.lb>');
    expect(evaluateExpression('steps.build.outputs.image', dry)).toBe('api:1');
  });
});

describe('evaluateCondition', () => {
  it('reads run state through success(), failure(), always()', () => {
    expect(evaluateCondition('success()', ctx)).toBe(true);
    expect(evaluateCondition('${{ failure() }}', ctx)).toBe(false);
    const failed = { ...ctx, steps: { a: { status: 'failed', outputs: {} } } };
    expect(evaluateCondition('failure() && always()', failed)).toBe(true);
    expect(evaluateCondition('success()', { ...ctx, run: { ...ctx.run!, status: 'failed' } })).toBe(false);
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => evaluateCondition('params.version', ctx)).toThrow('a condition must be true or false, but this one is the string "1.2.3"');
  });

  it('is decided at run time when it reads unknown outputs', () => {
    const value = evaluateCondition('steps.plan.outputs.changes > 0', { ...ctx, unknownSteps: new Set(['plan']) });
    expect(isUnknown(value) && value.display).toBe('<unknown: steps.plan.outputs.changes > 0>');
  });
});

describe('interpolate and resolveValue', () => {
  it('keeps the type of a lone expression and joins text otherwise', () => {
    expect(interpolate('${{ params.replicas }}', ctx)).toBe(4);
    expect(interpolate('n=${{ params.replicas }} v=${{ params.version }}', ctx)).toBe('n=4 v=1.2.3');
    expect(interpolate('${{ vars.cluster }}-${{ environment.name }}', ctx)).toBe('axiomcore-staging-staging');
    expect(interpolate('no expressions', ctx)).toBe('no expressions');
  });

  it('shows unknown parts inside text', () => {
    const value = interpolate('lb=${{ steps.rollout.outputs.lb }}', { ...ctx, unknownSteps: new Set(['rollout']) });
    expect(isUnknown(value) && value.display).toBe('lb=<unknown: steps.rollout.outputs.lb>');
  });

  it('walks objects and arrays', () => {
    expect(resolveValue({ a: ['${{ params.replicas + 1 }}', 'x'], b: { c: '${{ run.user }}' }, d: 3 }, ctx)).toEqual({ a: [5, 'x'], b: { c: 'ana' }, d: 3 });
  });
});

describe('scriptify', () => {
  it('passes values as environment variables, never as code', () => {
    const hostile = { ...ctx, params: { ...ctx.params, version: '$(rm -rf /)' } };
    const result = scriptify('echo "deployed ${{ params.version }}" && echo $(( ${{ params.replicas }} * 2 )) ${{ params.version }}', hostile);
    expect(result.script).toBe('echo "deployed ${OPSCTL_V1}" && echo $(( ${OPSCTL_V2} * 2 )) ${OPSCTL_V1}');
    expect(result.env).toEqual({ OPSCTL_V1: '$(rm -rf /)', OPSCTL_V2: '4' });
    expect(result.display).toBe('echo "deployed $(rm -rf /)" && echo $(( 4 * 2 )) $(rm -rf /)');
  });

  it('F6: an expression inside single quotes closes and reopens the quote, so bash gets the value the plan shows', () => {
    const r = scriptify("echo 'single ${{ params.version }}'; psql -Atc 'select $$${{ params.version }}$$'; echo $'tab\\t${{ params.version }}'", ctx);
    expect(r.script).toBe(`echo 'single '"\${OPSCTL_V1}"''; psql -Atc 'select $$'"\${OPSCTL_V1}"'$$'; echo $'tab\\t'"\${OPSCTL_V1}"$''`);
    expect(r.display).toBe("echo 'single 1.2.3'; psql -Atc 'select $$1.2.3$$'; echo $'tab\\t1.2.3'");
  });

  it('F6: quotes inside double quotes, comments, escapes and unquoted here-documents do not count as single quotes', () => {
    const script = [
      `echo "it's ${'${{ params.version }}'}" \\' ${'${{ params.version }}'}  # don't`,
      `echo ${'${{ params.version }}'} "$(echo 'in ${'${{ params.version }}'}')"`,
      'cat <<EOF',
      `select '${'${{ params.version }}'}';`,
      'EOF',
      `echo 'after ${'${{ params.version }}'}'`,
    ].join('\n');
    const r = scriptify(script, ctx);
    expect(r.script.split('\n')).toEqual([
      `echo "it's \${OPSCTL_V1}" \\' \${OPSCTL_V1}  # don't`,
      `echo \${OPSCTL_V1} "$(echo 'in '"\${OPSCTL_V1}"'')"`,
      'cat <<EOF',
      "select '${OPSCTL_V1}';",
      'EOF',
      `echo 'after '"\${OPSCTL_V1}"''`,
    ]);
  });

  it('F6: a shift in $(( )) is not a here-document', () => {
    expect(scriptify("echo $(( 1 << 2 ))\necho 'v ${{ params.version }}'", ctx).script).toBe(`echo $(( 1 << 2 ))\necho 'v '"\${OPSCTL_V1}"''`);
  });

  it('F6: an expression in a quoted here-document (never expanded by bash) is an error that says what to do', () => {
    expect(() => scriptify("cat <<'EOF'\nv=${{ params.version }}\nEOF", ctx)).toThrow(/quoted here-document.*unquote the delimiter/);
    expect(scriptify("cat <<'EOF'\nplain\nEOF\necho '${{ params.version }}'", ctx).script).toContain(`'"\${OPSCTL_V1}"'`);
  });

  it('F34: a value too large for an environment variable is an error naming the expression and its size', () => {
    const big = { ...ctx, steps: { spew: { status: 'succeeded', outputs: { all: 'x'.repeat(1_300_000) } } } };
    expect(() => scriptify('echo "${{ steps.spew.outputs.all }}" | tail -1', big)).toThrow(/this value is 1\.2 MB.*128 KiB.*in `\$\{\{ steps\.spew\.outputs\.all \}\}`/);
    expect(scriptify('echo "${{ steps.spew.outputs.all }}"', { ...big, steps: { spew: { status: 'succeeded', outputs: { all: 'x'.repeat(100_000) } } } }).env.OPSCTL_V1).toHaveLength(100_000);
  });

  it('leaves a script without expressions alone', () => {
    expect(scriptify('ls -l', ctx)).toEqual({ script: 'ls -l', env: {}, display: 'ls -l', unknowns: [] });
  });

  it('names the values a dry-run does not know yet', () => {
    const dry = { ...ctx, steps: { build: { status: 'planned', outputs: {} } }, unknownSteps: new Set(['build']) };
    const result = scriptify('test "$(cat x)" = "${{ steps.build.outputs.checksum }}" && echo ${{ params.version }}', dry);
    expect(result.unknowns).toEqual(['<unknown: steps.build.outputs.checksum>']);
    expect(scriptify('echo ${{ params.version }}', dry).unknowns).toEqual([]);
  });
});
