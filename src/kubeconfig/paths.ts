import * as path from 'node:path';
import type { Origin } from './model';

/** client-go resolves relative paths in an entry against the directory of the file that defined it. */
export function resolveRelative(file: string, origin: Origin): string {
  if (!file || path.isAbsolute(file)) return file;
  return path.join(path.dirname(origin.file), file);
}

/** client-go resolves exec.command against the kubeconfig's directory only when it contains a path separator. */
export function resolveExecCommand(command: string, origin: Origin): string {
  return command.includes(path.sep) ? resolveRelative(command, origin) : command;
}
