import type { Command } from 'commander';
import { usageError } from '../../util/errors';

/**
 * `opsctl completion bash|zsh`: a completion script generated from the commander program itself,
 * so it always knows exactly the commands and flags this opsctl has. Runbook names come from
 * `opsctl list --output json` at completion time (the search path of the folder you are in).
 */
export default function completion(shell: string, _options: unknown, command: Command): void {
  const program = command.parent;
  if (!program) throw new Error('completion: no program');
  switch (shell) {
    case 'bash':
      process.stdout.write(bashScript(program));
      return;
    case 'zsh':
      process.stdout.write(`#compdef opsctl\nautoload -U +X bashcompinit && bashcompinit\n${bashScript(program)}`);
      return;
    default:
      throw usageError(`no completion for shell \`${shell}\``, 'use `opsctl completion bash` or `opsctl completion zsh`');
  }
}

/** Commands whose first argument is a runbook (a name from the search path, or a file). */
const TAKES_RUNBOOK = new Set(['opsctl run', 'opsctl plan', 'opsctl graph', 'opsctl validate', 'opsctl incident run']);

export function commandTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const visit = (cmd: Command, path: string) => {
    const words = [...cmd.commands.map((c) => c.name()), ...cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => !!f)), '--help'];
    table.set(path, words);
    for (const sub of cmd.commands) visit(sub, `${path} ${sub.name()}`);
  };
  // Paths start at `opsctl`: bash refuses an empty key in an associative array.
  visit(program, 'opsctl');
  return table;
}

function bashScript(program: Command): string {
  const entries = [...commandTable(program)].map(([path, words]) => `  [${JSON.stringify(path)}]=${JSON.stringify(words.join(' '))}`);
  const runbookPaths = [...TAKES_RUNBOOK].map((p) => JSON.stringify(p)).join('|');
  return `# opsctl completion for bash (and zsh through bashcompinit).
# Install: opsctl completion bash > /etc/bash_completion.d/opsctl   (or: source <(opsctl completion bash))
declare -A _opsctl_words=(
${entries.join('\n')}
)
_opsctl() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="opsctl" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    if [[ -n "\${_opsctl_words["$path $w"]+set}" ]]; then path="$path $w"; fi
  done
  local words="\${_opsctl_words[$path]}"
  if [[ "$cur" != -* ]]; then
    case "$path" in
      ${runbookPaths})
        local names
        names=$(opsctl list --output json 2>/dev/null | sed -n 's/^      "name": "\\(.*\\)",$/\\1/p')
        COMPREPLY=($(compgen -W "$names" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))
        return ;;
    esac
    words=$(printf '%s\\n' $words | grep -v '^-')
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o filenames -F _opsctl opsctl
`;
}
