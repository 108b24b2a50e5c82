import { invalidInput, notFound } from '../../errors';
import { looksLikeToken } from '../../secrets/redact';
import { selectContext } from '../../kubeconfig/resolve';
import type { Context, Entry, MergedConfig } from '../../kubeconfig/model';
import type { FileChange } from '../../kubeconfig/edit/apply';
import { planSetToken, planSplit, SetOptions, TokenChange } from './plan';
import { AffectedContext, beyondServer, Impact, impactOf, impactOfContext, Shadowing, shadowingOf } from './impact';

/** How far a `set` selected through a context may reach. */
export type SetScope =
  | 'context' // refuse when the entry is used by contexts on other servers than the selected one's
  | 'all-contexts' // write the shared entry: every context using it changes
  | 'split'; // give the selected context its own entry

export interface SetRequest extends SetOptions {
  config: MergedConfig;
  /** Where a user that does not exist yet is created (kubectl's choice). */
  defaultFile: string;
  context?: string;
  user?: string;
  token: string;
  scope: SetScope;
}

export type SetPlan =
  | { kind: 'write'; changes: FileChange[]; record: TokenChange; impact: Impact; shadowing?: Shadowing; server?: string }
  /** Refused: the entry is also what contexts on other servers send. */
  | { kind: 'beyond'; user: { file: string; name: string }; context: string; others: AffectedContext[]; shadowing?: Shadowing };

/**
 * Plans writing `token` into the user entry kubectl uses for the selection: it works out which contexts will
 * send a different token, and refuses (as data) to change contexts on other servers than the selected
 * context's unless the scope says how.
 */
export function planSet(request: SetRequest): SetPlan {
  const { config, token, scope } = request;
  const { name, context } = target(config, request);
  const existing = config.users.get(name);
  // A user name is no secret (kubectl prints them freely), but a new entry named by a word that looks like a token
  // is a token pasted after --user: creating it would write the token into the file as a name, and print it.
  if (!existing && request.user !== undefined && looksLikeToken(request.user)) {
    throw invalidInput(
      "the value of --user names no user and looks like a token; nothing was written: pass the user's name to --user, and the token with --token-stdin",
    );
  }
  const server = context && config.clusters.get(context.value.cluster ?? '')?.value.server;
  const shadowing = request.user === undefined ? shadowingOf(config, context) : undefined;
  const viaContext = request.user === undefined && context !== undefined;

  if (scope === 'split') {
    if (!viaContext) throw invalidInput('a split gives the selected context its own user entry: select the context (and no user)');
    if (existing) {
      const { changes, record } = planSplit(config, context, existing, token, request);
      return { kind: 'write', changes, record, impact: impactOfContext(config, context, record.user), shadowing, server };
    }
  }
  const { changes, record } = planSetToken(existing, name, request.defaultFile, token, request);
  const impact = impactOf(config, [record]);
  const others = viaContext && scope === 'context' ? beyondServer(impact, server) : [];
  if (others.length) return { kind: 'beyond', user: { file: record.file, name }, context: context!.name, others, shadowing };
  return { kind: 'write', changes, record, impact, shadowing, server };
}

function target(config: MergedConfig, request: SetRequest): { name: string; context?: Entry<Context> } {
  if (request.user !== undefined && request.context === undefined) {
    return { name: request.user, context: config.currentContext ? config.contexts.get(config.currentContext) : undefined };
  }
  const context = selectContext(config, request.context);
  const name = request.user ?? context.value.user;
  if (!name) throw notFound(`context "${context.name}" names no user; pass --user NAME`);
  return { name, context };
}
