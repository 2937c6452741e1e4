import { describe, expect, it } from 'vitest';
import { compileText, HEADER, show } from './helpers';

describe('F6: expressions in shell scripts and quoting', () => {
  it('is an error for an expression in a quoted here-document (bash would never expand it), with what to do', () => {
    const text = `${HEADER}params: { v: { type: string, default: x } }\nsteps:\n  - id: a\n    shell: |\n      cat <<'EOF'\n      v=\${{ params.v }}\n      EOF\n`;
    const result = compileText(text);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map(show)).toEqual([
      "7:12 error expression-in-quoted-heredoc: `${{ params.v }}` sits in a quoted here-document (<<'EOF' or <<\"EOF\") of step `a`: bash expands nothing there, so the script would get the text ${OPSCTL_V1}, not the value (unquote the delimiter (<<EOF) so the value is expanded, or pass it another way (an argument, a file))",
    ]);
  });

  it('accepts single quotes, double quotes and unquoted here-documents (the value reaches bash there)', () => {
    const text = `${HEADER}params: { v: { type: string, default: x } }\nsteps:\n  - id: a\n    shell: |\n      echo 'single \${{ params.v }}' "double \${{ params.v }}"\n      cat <<EOF\n      v='\${{ params.v }}'\n      EOF\n`;
    expect(compileText(text).diagnostics).toEqual([]);
  });
});
