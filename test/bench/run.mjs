#!/usr/bin/env node
// opsctl benchmarks (issue 9). Each figure is a median over repeated runs, printed next to a
// baseline measured in the same run (bare Node, a bash loop, 1 s of sleep), so the ratios hold
// on whatever machine runs them. Results: a table on stdout and test/bench/results/latest.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// OPSCTL_BENCH_BIN: measure another build (an experiment) with the same harness.
const opsctl = process.env.OPSCTL_BENCH_BIN ?? join(root, 'bin', 'opsctl');
const quick = process.argv.includes('--quick');
// --only=startup,validate,logs,shell,parallel,flood: a subset, for iterating on one figure.
// --instructions: also count the start-ups' instructions with valgrind (stable under load).
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : undefined;
const wanted = (name) => !only || only.has(name);
const REPEAT = quick ? 5 : 25;
const rows = [];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function time(cmd, args, options = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' }, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function medianOf(n, fn) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(fn());
  return median(xs);
}

function record(name, value, unit, baselineName, baseline, target, pass) {
  rows.push({ name, value: round(value), unit, baseline: baselineName, baselineValue: baseline === undefined ? undefined : round(baseline), ratio: baseline ? round(value / baseline) : undefined, target, pass });
}
const round = (x) => Math.round(x * 100) / 100;

function tempProject(config = 'state: { backend: file }\n') {
  const dir = mkdtempSync(join(tmpdir(), 'opsctl-bench-'));
  writeFileSync(join(dir, 'opsctl.yaml'), config);
  return dir;
}

function runbook(name, steps, extra = '') {
  return `apiVersion: opsctl/v1\nkind: Runbook\nname: ${name}\ntitle: Benchmark ${name}\nlock: false\n${extra}steps:\n${steps}`;
}

function dirSize(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, entry) => sum + dirSize(join(path, entry)), 0);
}

// 1. start-up. The baseline and every command are measured in the same rounds, one after the
// other, so a change of load on a shared machine moves them together instead of skewing ratios.
const startupCommands = [['--version'], ['--help'], ['list'], ['validate', join(root, 'runbooks', 'deploy.yaml')]];
const startupTimes = startupCommands.map(() => []);
const nodeTimes = [];
const startupRounds = wanted('startup') || wanted('validate') || wanted('logs') ? REPEAT : 0;
for (let round = 0; round < startupRounds; round++) {
  nodeTimes.push(time(process.execPath, ['-e', '0']));
  startupCommands.forEach((args, i) => {
    if (i > 0 && !wanted('startup')) return;
    startupTimes[i].push(time(opsctl, args, { cwd: tmpdir() }));
  });
}
const nodeBase = median(nodeTimes);
if (startupRounds) record('node -e 0 (baseline)', nodeBase, 'ms');
startupCommands.forEach((args, i) => {
  if (startupTimes[i].length === 0) return;
  const ms = median(startupTimes[i]);
  record(`opsctl ${args[0]}${args[1] ? ' deploy.yaml' : ''}`, ms, 'ms', 'node -e 0', nodeBase, '≤ 1.5×', ms / nodeBase <= 1.5);
});
const versionMs = rows.find((r) => r.name === 'opsctl --version')?.value;

// 1b. --instructions: the same start-ups counted in instructions (valgrind callgrind), a figure
// that load on a shared machine does not move. One run each: the count barely varies.
if (process.argv.includes('--instructions')) {
  const hasValgrind = spawnSync('sh', ['-c', 'command -v valgrind']).status === 0;
  const count = (args) => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--trace-children=yes', '--callgrind-out-file=/dev/null', process.execPath, ...args], { cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' }, maxBuffer: 16 << 20 });
    const refs = /I\s+refs:\s+([\d,]+)/.exec(String(r.stderr));
    if (!refs) throw new Error(`valgrind ${args.join(' ')}: no instruction count: ${String(r.stderr).slice(-500)}`);
    return Number(refs[1].replaceAll(',', '')) / 1e6;
  };
  if (!hasValgrind) rows.push({ name: 'instructions (callgrind)', value: 'valgrind not installed' });
  else {
    const base = count(['-e', '0']);
    record('node -e 0, instructions (baseline)', base, 'M');
    for (const args of startupCommands) {
      const m = count([opsctl, ...args]);
      record(`opsctl ${args[0]}${args[1] ? ' deploy.yaml' : ''}, instructions`, m, 'M', 'node -e 0', base, '≤ 1.5×', m / base <= 1.5);
    }
  }
}

// 2. validate of a generated 1,000-step runbook
if (wanted('validate')) {
  const dir = tempProject();
  const steps = Array.from({ length: 1000 }, (_, i) =>
    `  - id: s${i}\n    shell: echo "step ${i} of \${{ params.who }}"\n    when: \${{ params.n > ${i % 7} }}\n${i > 0 ? `    needs: [s${i - 1}]\n` : ''}`).join('');
  const file = join(dir, 'big.yaml');
  writeFileSync(file, runbook('big', steps, 'params:\n  who: { type: string, default: ops }\n  n: { type: integer, default: 3 }\n'));
  // Start-up measured again in the same rounds, so "over start-up" compares like with like.
  const versions = [];
  const validates = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    versions.push(time(opsctl, ['--version'], { cwd: dir }));
    validates.push(time(opsctl, ['validate', file], { cwd: dir }));
  }
  const ms = median(validates);
  const start = median(versions);
  record('validate 1,000 steps', ms, 'ms', 'opsctl --version', start, '≤ +150 ms', ms - start <= 150);
  rows[rows.length - 1].overMs = round(ms - start);
  rmSync(dir, { recursive: true, force: true });
}

// 3. 10,000 log steps with the file journal: engine overhead per step. The engine's share is
// the run minus `validate` of the same file (start-up, parse and checks of 10,000 steps, which
// the validate figure above already covers); the run minus start-up is shown beside it.
if (wanted('logs')) {
  const dir = tempProject();
  const n = 10_000;
  const steps = Array.from({ length: n }, (_, i) => `  - { id: l${i}, log: "line ${i}" }\n`).join('');
  writeFileSync(join(dir, 'logs.yaml'), runbook('logs', steps));
  const runs = [];
  const validates = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    validates.push(time(opsctl, ['validate', './logs.yaml'], { cwd: dir }));
    runs.push(time(opsctl, ['run', './logs.yaml', '--output', 'json'], { cwd: dir }));
  }
  const ms = median(runs);
  const perStep = (ms - median(validates)) / n;
  record('10,000 log steps: engine per step', perStep, 'ms', undefined, undefined, '≤ 0.2 ms', perStep <= 0.2);
  Object.assign(rows[rows.length - 1], { totalMs: round(ms), validateMs: round(median(validates)), perStepOverStartupMs: round((ms - versionMs) / n) });
  rows.push({ name: '10,000 log steps: run − start-up, per step', value: round((ms - versionMs) / n), unit: 'ms' });
  rmSync(dir, { recursive: true, force: true });
}

// 4. 100 sequential `true` shell steps vs bash, vs ansible when installed
if (wanted('shell')) {
  const dir = tempProject();
  const steps = Array.from({ length: 100 }, (_, i) => `  - { id: t${i}, shell: "true" }\n`).join('');
  writeFileSync(join(dir, 'trues.yaml'), runbook('trues', steps));
  writeFileSync(join(dir, 'trues.sh'), 'for i in $(seq 1 100); do bash -c true; done\n');
  // The loop and the run take turns, round after round, so that a change of load on a shared
  // machine moves both instead of skewing the ratio.
  const bashTimes = [];
  const runTimes = [];
  for (let round = 0; round < (quick ? 3 : 11); round++) {
    bashTimes.push(time('bash', [join(dir, 'trues.sh')]));
    runTimes.push(time(opsctl, ['run', './trues.yaml', '--yes', '--output', 'plain'], { cwd: dir }));
  }
  const bash = median(bashTimes);
  record('bash: 100 × bash -c true (baseline)', bash, 'ms');
  const ms = median(runTimes);
  record('100 shell steps', ms, 'ms', 'bash loop', bash, '≤ 3×', ms / bash <= 3);
  const ansible = spawnSync('sh', ['-c', 'command -v ansible-playbook']).status === 0;
  if (ansible) {
    const tasks = Array.from({ length: 100 }, () => "    - command: 'true'\n").join('');
    writeFileSync(join(dir, 'play.yml'), `- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n${tasks}`);
    const a = time('ansible-playbook', ['-i', 'localhost,', join(dir, 'play.yml')]);
    record('ansible-playbook 100 tasks', a, 'ms', '100 shell steps', ms, 'peer');
  } else {
    rows.push({ name: 'ansible-playbook 100 tasks', value: 'not installed' });
  }
  rmSync(dir, { recursive: true, force: true });
}

// 5. 50 parallel `sleep 1` with concurrency 50
if (wanted('parallel')) {
  const dir = tempProject();
  const steps = Array.from({ length: 50 }, (_, i) => `  - { id: p${i}, needs: [], shell: "sleep 1" }\n`).join('');
  writeFileSync(join(dir, 'par.yaml'), runbook('par', steps, 'concurrency: 50\n'));
  const ms = medianOf(quick ? 1 : 3, () => time(opsctl, ['run', './par.yaml', '--yes', '--output', 'plain'], { cwd: dir }));
  record('50 × sleep 1, concurrency 50', ms, 'ms', '1 s', 1000, '≤ 1.5 s', ms <= 1500);
  rmSync(dir, { recursive: true, force: true });
}

// 6. a step printing 1 GiB: peak RSS and journal size
if (wanted('flood')) {
  const dir = tempProject();
  writeFileSync(join(dir, 'big-out.yaml'), runbook('big-out', '  - id: flood\n    shell: head -c 1073741824 /dev/zero | tr "\\\\0" "x" | fold -w 1023\n'));
  const r = spawnSync('/usr/bin/time', ['-f', '%M', opsctl, 'run', './big-out.yaml', '--yes', '--output', 'plain'], {
    cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true' }, maxBuffer: 1 << 20,
  });
  const kb = Number(String(r.stderr).trim().split('\n').pop());
  record('1 GiB of output: peak RSS', kb / 1024, 'MB', undefined, undefined, '≤ 150 MB', kb / 1024 <= 150);
  const journal = dirSize(join(dir, '.opsctl'));
  record('1 GiB of output: journal size', journal / 1024, 'KB', undefined, undefined, 'bounded', journal < 10 * 1024 * 1024);
  rmSync(dir, { recursive: true, force: true });
}

// Each column as wide as its widest cell, so a long name never runs into the next column.
const table = rows.map((r) => [
  r.name,
  typeof r.value === 'number' ? `${r.value} ${r.unit}` : r.value,
  r.baselineValue !== undefined ? `${r.baseline} ${r.baselineValue}` : '',
  r.overMs !== undefined ? `+${r.overMs} ms` : r.ratio ? `${r.ratio}×` : '',
  r.target ?? '',
  r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
]);
const header = ['benchmark', 'median', 'baseline', 'ratio', 'target', 'ok'];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((cells) => String(cells[i]).length)) + 2);
const line = (cells) => cells.map((cell, i) => (i === cells.length - 1 ? String(cell) : String(cell).padEnd(widths[i]))).join('').trimEnd();
console.log(`\n${line(header)}`);
for (const cells of table) console.log(line(cells));
mkdirSync(join(root, 'test', 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'test', 'bench', 'results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, rows }, null, 2));
