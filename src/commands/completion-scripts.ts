/**
 * Completion scripts for running `kubectl-cwtoken` directly. Each asks the binary itself
 * (`kubectl-cwtoken __complete WORDS... PARTIAL`) and reads cobra-style output: one candidate per line, then
 * `:<directive>` (0: the shell may fall back to file names; 4: it may not). `kubectl cwtoken …` is completed by
 * kubectl itself through `kubectl_complete-cwtoken` (see `completion install`).
 */
export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

export const COMPLETION_SCRIPTS: Record<Shell, string> = {
  bash: `# bash completion for kubectl-cwtoken. Load with: source <(kubectl cwtoken completion bash)
_kubectl_cwtoken() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out directive
  out=$(kubectl-cwtoken __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null | cut -f1) || return 0
  directive=\${out##*:}
  out=\${out%:*}
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
  if [[ \${#COMPREPLY[@]} -eq 0 && "$directive" == 0 ]]; then COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -F _kubectl_cwtoken kubectl-cwtoken
`,
  zsh: `#compdef kubectl-cwtoken
# zsh completion for kubectl-cwtoken. Load with: source <(kubectl cwtoken completion zsh)
_kubectl_cwtoken() {
  local -a lines candidates
  lines=("\${(@f)$(kubectl-cwtoken __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
  candidates=("\${(@)lines[1,-2]}")
  # cobra's "name<TAB>description" becomes zsh's "name:description" (a ":" in a name escaped)
  candidates=("\${(@)candidates//:/\\:}"); candidates=("\${(@)candidates//$'\\t'/:}")
  if (( \${#candidates} )); then _describe 'kubectl-cwtoken' candidates; elif [[ "\${lines[-1]}" == ":0" ]]; then _files; fi
}
compdef _kubectl_cwtoken kubectl-cwtoken
`,
  fish: `# fish completion for kubectl-cwtoken. Load with: kubectl cwtoken completion fish | source
function __kubectl_cwtoken_complete
    set -l args (commandline -opc)[2..-1] (commandline -ct)
    kubectl-cwtoken __complete $args 2>/dev/null | string match -v -r '^:'
end
complete -c kubectl-cwtoken -f -a '(__kubectl_cwtoken_complete)'
`,
  powershell: `# PowerShell completion for kubectl-cwtoken. Load with: kubectl cwtoken completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName 'kubectl-cwtoken', 'kubectl-cwtoken.exe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
    if ($wordToComplete -eq '') { $words += '""' }
    & kubectl-cwtoken __complete @words 2>$null | Where-Object { $_ -notmatch '^:' } | ForEach-Object {
        $name, $description = $_ -split "\t", 2
        [System.Management.Automation.CompletionResult]::new($name, $name, 'ParameterValue', $(if ($description) { $description } else { $name }))
    }
}
`,
};

/** What kubectl runs to complete `kubectl cwtoken …`: a shim that asks the plugin binary. */
export function kubectlCompletionShim(plugin: string, windows: boolean): string {
  return windows
    ? `@"${plugin}" __complete %*\r\n`
    : `#!/bin/sh\n# Written by \`kubectl cwtoken completion install\`: kubectl (>= 1.26) runs this to complete \`kubectl cwtoken ...\`.\nexec '${plugin.replace(/'/g, `'\\''`)}' __complete "$@"\n`;
}
