import { verifyToken } from '../auth/verify';
import { loadConfig, requireSomeFile } from '../kubeconfig/config';
import { invalidInput } from '../kubeconfig/errors';
import { bearerToken, resolveRelative, selectTarget, Target } from '../kubeconfig/resolve';
import { tokenFileContent, tokenNotice } from '../kubeconfig/token';
import type { MergedConfig } from '../kubeconfig/types';
import { applyEdits, FileChange } from '../kubeconfig/write';
import { readTokenInput, TokenInputArgs } from '../input/token-input';
import { reportTokenChanges, TokenChange } from '../output/token-changes';
import { note, Streams } from '../output/streams';
import { lockTimeoutMs, requestTimeoutMs } from './flags';

export interface RotateArgs extends TokenInputArgs {
  kubeconfig?: string;
  context?: string;
  user?: string;
  only: boolean;
  verify: boolean;
  timeout: number;
  dryRun: boolean;
  lockTimeout: number;
  output?: string;
}

/**
 * Replaces a token everywhere it is in use: the selected user's current token is the old one, and every user
 * entry of the chain holding it (inline or in its tokenFile, shadowed entries included) gets the new one, after
 * the API server has accepted the new one. Each write re-checks, under the lock, that the entry still holds the
 * old token, so a concurrent change is never overwritten.
 */
export async function rotate(parsed: Record<string, unknown>, streams: Streams): Promise<void> {
  const args = parsed as unknown as RotateArgs;
  const { token } = await readTokenInput(args, streams);
  const loaded = await loadConfig({ kubeconfig: args.kubeconfig });
  requireSomeFile(loaded);
  const { config } = loaded;
  const target = selectTarget(config, { context: args.context, user: args.user });
  const old = bearerToken(target.user).token;
  const cluster = target.context && config.clusters.get(target.context.value.cluster ?? '');
  const hint = tokenNotice(token, cluster?.value.server);
  if (hint) note(streams, hint);
  if (old === token) {
    note(streams, `user "${target.user.name}" already has this token; nothing to change`);
    return reportTokenChanges(streams, [], [], { dryRun: args.dryRun, output: args.output });
  }

  const identity = args.verify ? await verify(target, config, token, args, streams) : undefined;
  const holders = args.only ? [{ name: target.user.name, origin: target.user.origin }] : holdersOf(config, old);
  const landed: TokenChange[] = [];
  const changes = holders.flatMap((h) => plan(config, h, old, token, landed));
  const results = await applyEdits(changes, { dryRun: args.dryRun, lockTimeoutMs: lockTimeoutMs(args.lockTimeout) });
  reportTokenChanges(streams, landed, results, { dryRun: args.dryRun, output: args.output, extra: identity && { authenticatedAs: identity.username } });
}

async function verify(target: Target, config: MergedConfig, token: string, args: RotateArgs, streams: Streams) {
  const clusterName = target.context?.value.cluster;
  const cluster = clusterName ? config.clusters.get(clusterName) : undefined;
  if (!cluster) {
    const why = target.context ? `context "${target.context.name}" names no cluster that exists` : 'no context is selected';
    throw invalidInput(`cannot verify the new token: ${why}; pass --context NAME, or --no-verify to write it unverified`);
  }
  const identity = await verifyToken({ cluster, token, timeoutMs: requestTimeoutMs(args.timeout) }, streams);
  note(streams, `authenticated as ${identity.username}`);
  return identity;
}

interface Holder {
  name: string;
  origin: { file: string; index: number };
}

/** Every user entry in every file of the chain whose bearer token is `old`, the entries kubectl ignores too. */
function holdersOf(config: MergedConfig, old: string): Holder[] {
  const holders: Holder[] = [];
  for (const file of config.files) {
    (file.config.users ?? []).forEach((item, index) => {
      if (!item) return;
      const entry = { name: item.name ?? '', value: item.user ?? {}, origin: { file: file.path, index }, shadows: [] };
      let token: string | undefined;
      try {
        token = bearerToken(entry).token;
      } catch {
        token = undefined; // not a bearer user: it cannot hold the old token
      }
      if (token === old || entry.value.token === old) holders.push({ name: entry.name, origin: entry.origin });
    });
  }
  return holders;
}

/** The writes for one holder: compare-and-swap, against the content re-read under the lock. */
function plan(config: MergedConfig, holder: Holder, old: string, token: string, landed: TokenChange[]): FileChange[] {
  const { name, origin } = holder;
  const value = config.files.find((f) => f.path === origin.file)?.config.users?.[origin.index]?.user ?? {};
  const changes: FileChange[] = [];
  if (value.tokenFile) {
    const tokenFile = resolveRelative(value.tokenFile, origin);
    changes.push({
      file: tokenFile,
      replace: (current) => {
        if (current?.trim() !== old) return current ?? '';
        landed.push({ file: origin.file, user: name, field: 'tokenFile', tokenFile, old, new: token });
        return tokenFileContent(token);
      },
    });
  }
  if (value.token === old || !value.tokenFile) {
    changes.push({
      file: origin.file,
      edit: (doc) => {
        if (doc.entry('users', name)?.token !== old) return;
        doc.setField('users', name, 'token', token);
        landed.push({ file: origin.file, user: name, field: 'token', old, new: token });
      },
    });
  }
  return changes;
}
