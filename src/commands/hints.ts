import type { Hint } from '../errors';

/** How users call the plugin: through kubectl, as krew installs it. */
export const PREFIX = 'kubectl cwtoken';

/** A remedy the core named as data, as the command line to run and what it does. */
export function renderHint(hint: Hint): string {
  switch (hint.key) {
    case 'set-token':
      return `\`${PREFIX} set --user ${hint.user}\` sets a new token`;
    case 'get-token':
      return `\`${PREFIX} get --user ${hint.user}\` shows which token is sent`;
    case 'doctor-fix':
      return `\`${PREFIX} doctor --fix\` applies it`;
    case 'replace-auth':
      return `\`${PREFIX} set --user ${hint.user} --replace-auth\` is only for moving this user to a token on purpose`;
    case 'use-context':
      return `\`${PREFIX} use CONTEXT\` switches (\`${PREFIX} use\` lists them)`;
    case 'import-use':
      return `\`${PREFIX} import FILE --use\` does both`;
    case 'undo-list':
      return `\`${PREFIX} undo --list\` shows what is recorded`;
    case 'import-file':
      return `or \`${PREFIX} import ${hint.file}\` merges the file, which can then leave KUBECONFIG`;
  }
}

/** `text` followed by the hints, each as a clause of the same line. */
export const withHints = (text: string, hints: readonly Hint[] = []) => [text, ...hints.map(renderHint)].join('; ');
