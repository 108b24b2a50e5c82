import { readFileSync } from 'node:fs';
import { loadConfig } from '../kubeconfig/config';
import { noToken, notFound } from '../kubeconfig/errors';
import type { KubeconfigDocument } from '../kubeconfig/edit';
import { defaultFilename } from '../kubeconfig/locate';
import { lockTimeoutMs } from './flags';
import { authKinds, resolveRelative, selectContext } from '../kubeconfig/resolve';
import { tokenFileContent, tokenNotice } from '../kubeconfig/token';
import type { Entry, MergedConfig, User } from '../kubeconfig/types';
import { applyEdits, FileChange } from '../kubeconfig/write';
import { readTokenInput, TokenInputArgs } from '../input/token-input';
import { reportTokenChanges, TokenChange } from '../output/token-changes';
import { note, Streams } from '../output/streams';

export interface SetArgs extends TokenInputArgs {
  kubeconfig?: string;
  context?: string;
  user?: string;
  inline: boolean;
  replaceAuth: boolean;
  dryRun: boolean;
  lockTimeout: number;
  output?: string;
}

/** Fields that make a user something other than a bearer-token user; kubectl's set-credentials clears them too. */
export const NON_BEARER_FIELDS = ['exec', 'auth-provider', 'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'username', 'password'];

/** Writes a token into one user entry, in the file that defines it (or where kubectl would create it). */
export async function set(parsed: Record<string, unknown>, streams: Streams): Promise<void> {
  const args = parsed as unknown as SetArgs;
  const { token } = await readTokenInput(args, streams);
  const { chain, config } = await loadConfig({ kubeconfig: args.kubeconfig, missingExplicitIsEmpty: true });
  const { name, context } = targetName(config, args);
  const existing = config.users.get(name);
  const server = context && config.clusters.get(context.cluster ?? '')?.value.server;
  const hint = tokenNotice(token, server);
  if (hint) note(streams, hint);

  const { changes, record } = existing ? updateUser(existing, token, args) : createUser(name, defaultFilename(chain), token);
  const results = await applyEdits(changes, { dryRun: args.dryRun, lockTimeoutMs: lockTimeoutMs(args.lockTimeout) });
  reportTokenChanges(streams, [record], results, { dryRun: args.dryRun, output: args.output });
}

function targetName(config: MergedConfig, args: SetArgs): { name: string; context?: { cluster?: string } } {
  if (args.user !== undefined && args.context === undefined) {
    return { name: args.user, context: config.currentContext ? config.contexts.get(config.currentContext)?.value : undefined };
  }
  const context = selectContext(config, args.context);
  const name = args.user ?? context.value.user;
  if (!name) throw notFound(`context "${context.name}" names no user; pass --user NAME`);
  return { name, context: context.value };
}

function createUser(name: string, file: string, token: string): { changes: FileChange[]; record: TokenChange } {
  return {
    changes: [{ file, edit: (doc) => (doc.entry('users', name) ? doc.setField('users', name, 'token', token) : doc.addEntry('users', name, { token })) }],
    record: { file, user: name, field: 'token', created: true, new: token },
  };
}

function updateUser(user: Entry<User>, token: string, args: SetArgs): { changes: FileChange[]; record: TokenChange } {
  const { name, origin, value } = user;
  const other = authKinds(value).filter((k) => k !== 'token' && k !== 'tokenFile');
  if (other.length && !args.replaceAuth) {
    throw noToken(
      `user "${name}" (${origin.file}) authenticates with ${other.join(' and ')}, not a bearer token; pass --replace-auth to remove ${other.length > 1 ? 'those' : 'it'} and set the token`,
    );
  }
  const removeAuth = (doc: KubeconfigDocument) => {
    if (args.replaceAuth) for (const field of NON_BEARER_FIELDS) doc.deleteField('users', name, field);
  };
  const tokenFile = value.tokenFile ? resolveRelative(value.tokenFile, origin) : undefined;
  if (tokenFile && !args.inline) {
    const changes: FileChange[] = [{ file: tokenFile, replace: () => tokenFileContent(token) }];
    // An inline token next to tokenFile is kubectl's fallback when the file is unreadable: keep the two in step.
    if (value.token || args.replaceAuth) {
      changes.push({ file: origin.file, edit: (doc) => {
        removeAuth(doc);
        if (doc.entry('users', name)?.token) doc.setField('users', name, 'token', token);
      } });
    }
    return { changes, record: { file: origin.file, user: name, field: 'tokenFile', tokenFile, old: readQuietly(tokenFile), new: token } };
  }
  return {
    changes: [{
      file: origin.file,
      edit: (doc) => {
        removeAuth(doc);
        if (args.inline) doc.deleteField('users', name, 'tokenFile');
        doc.setField('users', name, 'token', token);
      },
    }],
    record: { file: origin.file, user: name, field: 'token', old: tokenFile ? readQuietly(tokenFile) : value.token, new: token },
  };
}

/** The old token, for the summary only (redacted there). */
function readQuietly(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
