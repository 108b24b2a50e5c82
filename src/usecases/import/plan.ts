import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { resolveExecCommand, resolveRelative } from '../../kubeconfig/paths';
import { Cluster, Context, Origin, RawConfig, SECTIONS, Section, SectionValue, User } from '../../kubeconfig/model';
import { entriesOf } from '../../kubeconfig/sections';
import { withoutTokenRecord } from '../lifecycle/token-record';

/**
 * How entries of downloaded kubeconfigs join a target without shadowing or being shadowed: every decision is
 * made here, on plain data, before anything is written. `doctor --fix` uses the same name derivation and
 * reference rewriting.
 */
export type ConflictPolicy = 'rename' | 'overwrite' | 'skip' | 'fail';

export interface IncomingFile {
  /** The path as the user gave it, or "-" for stdin: for messages only. */
  source: string;
  /** The file read, absent for stdin: relative paths in its entries are resolved against its directory. */
  path?: string;
  config: RawConfig;
}

export type Decision = {
  section: Section;
  source: string;
  /** The entry's name in the incoming file. */
  incoming: string;
  /** Its name in the target. */
  name: string;
} & (
  | { action: 'add'; value: SectionValue[Section] }
  | { action: 'overwrite'; value: SectionValue[Section] }
  /**
   * The same cluster (server and CA) under the same context name: an updated download. The existing user entry
   * (`name`, defined in the target) gets the incoming token in place.
   */
  | { action: 'update-token'; token: string; old?: string }
  /** Already there with the same content (after renames): nothing to do. */
  | { action: 'identical' }
  /** A different entry of that name exists and --on-conflict skip keeps it. */
  | { action: 'skip' }
  /** A different entry of that name exists and --on-conflict fail refuses the import. */
  | { action: 'conflict' }
);

export interface ImportPlan {
  decisions: Decision[];
  /** Each incoming file's current-context (else its only context), under its name in the target. */
  currentContexts: string[];
}

/** Every definition of each name across the files that matter (the target and the rest of the chain). */
export type Definitions = Record<Section, Map<string, unknown[]>>;

const SECTION_ORDER: Section[] = ['clusters', 'users', 'contexts'];

export function definitionsOf(configs: RawConfig[]): Definitions {
  const defs: Definitions = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const config of configs) {
    for (const section of SECTION_ORDER) {
      for (const { name, value } of entriesOf(config, section)) defs[section].set(name, [...(defs[section].get(name) ?? []), value]);
    }
  }
  return defs;
}

/**
 * "free" when no file defines the name, "same" when every definition equals `value`, else "taken". A user's
 * recorded expiry and note (our extension) do not make it different: re-importing a download is a no-op.
 */
function availability(defs: Definitions, section: Section, name: string, value: unknown): 'free' | 'same' | 'taken' {
  const existing = defs[section].get(name);
  if (!existing) return 'free';
  const comparable = (v: unknown) => (section === 'users' && v ? withoutTokenRecord(v as User) : v);
  return existing.every((e) => isDeepStrictEqual(comparable(e), comparable(value))) ? 'same' : 'taken';
}

function hostLabel(server: string | undefined): string | undefined {
  try {
    return server ? new URL(server).hostname.split('.')[0] || undefined : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Readable new names for an entry whose name is taken, best first: a user or cluster is named after the first
 * context of its own file that uses it (`prod-token`), a context after its cluster's host (`prod-ab1cd2-x`);
 * then numbered.
 */
export function* candidateNames(config: RawConfig, section: Section, name: string, prefix = ''): Generator<string> {
  const contexts = entriesOf(config, 'contexts');
  if (section === 'contexts') {
    const own = contexts.find((c) => c.name === name);
    const cluster = entriesOf(config, 'clusters').find((c) => c.name === own?.value.cluster);
    const label = hostLabel(cluster?.value.server);
    if (label) yield `${prefix}${name}-${label}`;
  } else {
    const field = SECTIONS[section] as 'cluster' | 'user';
    const user = contexts.find((c) => c.value[field] === name);
    if (user && user.name !== name) yield `${prefix}${user.name}-${name}`;
  }
  for (let n = 2; ; n++) yield `${prefix}${name}-${n}`;
}

/** The first candidate that is free, or already holds exactly this content (so a repeated import is a no-op). */
export function chooseName(defs: Definitions, config: RawConfig, section: Section, name: string, value: unknown, prefix = ''): string {
  for (const candidate of candidateNames(config, section, name, prefix)) {
    if (availability(defs, section, candidate, value) !== 'taken') return candidate;
  }
  throw new Error('unreachable: candidate names are unbounded');
}

function rewriteReferences(context: Context, names: { clusters: Map<string, string>; users: Map<string, string> }): Context {
  const rewritten = { ...context };
  if (context.cluster !== undefined) rewritten.cluster = names.clusters.get(context.cluster) ?? context.cluster;
  if (context.user !== undefined) rewritten.user = names.users.get(context.user) ?? context.user;
  return rewritten;
}

/** `fields` of `body` made absolute where they are relative paths; absent fields stay absent, so equality holds. */
function absoluteFields<T extends Record<string, unknown>>(body: T, fields: string[], origin: Origin): T {
  const resolved: Record<string, unknown> = { ...body };
  for (const field of fields) if (typeof body[field] === 'string') resolved[field] = resolveRelative(body[field], origin);
  return resolved as T;
}

function absoluteUser(user: User, origin: Origin): User {
  const resolved = absoluteFields(user, ['tokenFile', 'client-certificate', 'client-key'], origin);
  const command = user.exec?.command;
  if (typeof command === 'string') resolved.exec = { ...user.exec, command: resolveExecCommand(command, origin) };
  return resolved;
}

/**
 * The incoming config with every path client-go resolves against the defining file's directory made absolute,
 * so that its entries mean the same in the target. stdin has no directory: a user running `import - < file`
 * expects the working directory.
 */
function withAbsolutePaths(file: IncomingFile): RawConfig {
  // For stdin, a notional file in the working directory.
  const at = (index: number): Origin => ({ file: path.resolve(file.path ?? '<stdin>'), index });
  const { clusters, users } = file.config;
  return {
    ...file.config,
    ...(clusters && {
      clusters: clusters.map((item, i) =>
        item?.cluster ? { ...item, cluster: absoluteFields<Cluster>(item.cluster, ['certificate-authority'], at(i)) } : item,
      ),
    }),
    ...(users && { users: users.map((item, i) => (item?.user ? { ...item, user: absoluteUser(item.user, at(i)) } : item)) }),
  };
}

export interface PlanOptions {
  policy: ConflictPolicy;
  prefix?: string;
  /** The file written: an updated download updates its entries in place. */
  target?: RawConfig;
}

/**
 * Plans the import of `incoming` files, in order, into `target`. `defs` holds every definition the target and
 * the rest of the chain already have; it is updated as entries are planned, so later files see earlier ones.
 */
export function planImport(defs: Definitions, incoming: IncomingFile[], options: PlanOptions): ImportPlan {
  const plan: ImportPlan = { decisions: [], currentContexts: [] };
  const prefix = options.prefix ?? '';
  for (const original of incoming) {
    const file = { ...original, config: withAbsolutePaths(original) };
    // skip and fail say: keep what is there.
    const updates =
      options.target && (options.policy === 'rename' || options.policy === 'overwrite')
        ? updatesInPlace(defs, options.target, file.config, file.source, prefix)
        : NO_UPDATES;
    const imported = new Set(entriesOf(file.config, 'contexts').map((c) => `${prefix}${c.name}`));
    const names: Record<Section, Map<string, string>> = { clusters: new Map(), users: new Map(), contexts: new Map() };
    for (const section of SECTION_ORDER) {
      for (const entry of entriesOf(file.config, section)) {
        const value = section === 'contexts' ? rewriteReferences(entry.value as Context, names) : entry.value;
        const decision = updates[section].get(entry.name)?.(value) ?? decide(defs, file, section, entry.name, value, options.policy, prefix, imported);
        names[section].set(entry.name, decision.name);
        if (decision.action === 'add' || decision.action === 'overwrite') {
          const others = decision.action === 'add' ? (defs[section].get(decision.name) ?? []) : [];
          defs[section].set(decision.name, [...others, value]);
        }
        plan.decisions.push(decision);
      }
    }
    const contexts = entriesOf(file.config, 'contexts');
    const current = file.config['current-context'] || (contexts.length === 1 ? contexts[0].name : undefined);
    if (current && names.contexts.has(current)) plan.currentContexts.push(names.contexts.get(current)!);
  }
  return plan;
}

/** Decisions made ahead of the usual rules, by incoming name, given the entry's value (references rewritten). */
type Updates = Record<Section, Map<string, (value: SectionValue[Section]) => Decision>>;
const NO_UPDATES: Updates = { clusters: new Map(), users: new Map(), contexts: new Map() };

const isBearerOnly = (user: User | undefined): user is User & { token: string } =>
  Boolean(user?.token) && Object.keys(user!).every((k) => k === 'token' || k === 'extensions');

/** The winning definition of a name: the target comes first in `defs`, as it does in the chain. */
const winner = <S extends Section>(defs: Definitions, section: S, name: string) => defs[section].get(name)?.[0] as SectionValue[S] | undefined;

/**
 * A CoreWeave user re-downloads a kubeconfig when they create a new token. An incoming context that has the
 * same name as a context of the target, on the same cluster (same server and CA), with a bearer-token user, is
 * that download again: its cluster is the existing one, its token goes into the existing user entry (when only
 * contexts on that server use the entry; otherwise the context gets a user of its own), and nothing is added
 * as `token-2` / `train-east-127`.
 */
function updatesInPlace(defs: Definitions, target: RawConfig, incoming: RawConfig, source: string, prefix: string): Updates {
  const updates: Updates = { clusters: new Map(), users: new Map(), contexts: new Map() };
  // Looked up once per incoming context: a download of 5,000 contexts must not walk every list 5,000 times.
  const targetDefs = definitionsOf([target]);
  const inTarget = (section: Section, name: string) => targetDefs[section].has(name);
  const incomingDefs = definitionsOf([incoming]);
  let contextsByUser: Map<string | undefined, Array<[string, Context | undefined]>> | undefined;
  for (const context of entriesOf(incoming, 'contexts')) {
    const name = `${prefix}${context.name}`;
    const existing = winner(defs, 'contexts', name);
    const newCluster = winner(incomingDefs, 'clusters', context.value.cluster ?? '');
    const newUser = winner(incomingDefs, 'users', context.value.user ?? '');
    if (!existing?.cluster || !existing.user || !newCluster || !context.value.cluster || !context.value.user || !inTarget('contexts', name)) continue;
    const cluster = winner(defs, 'clusters', existing.cluster);
    const user = winner(defs, 'users', existing.user);
    if (!cluster || !sameCluster(cluster, newCluster) || !inTarget('clusters', existing.cluster) || !inTarget('users', existing.user)) continue;
    if (!isBearerOnly(user) || !isBearerOnly(newUser)) continue;
    const base = { source };
    updates.clusters.set(context.value.cluster, () => ({
      ...base,
      section: 'clusters',
      incoming: context.value.cluster!,
      name: existing.cluster!,
      action: 'identical',
    }));
    contextsByUser ??= contextsOfUsers(defs);
    const sharedBeyond = (contextsByUser.get(existing.user) ?? []).some(
      ([other, c]) => other !== name && winner(defs, 'clusters', c?.cluster ?? '')?.server !== cluster.server,
    );
    if (!sharedBeyond) {
      updates.users.set(context.value.user, () =>
        user.token === newUser.token
          ? { ...base, section: 'users', incoming: context.value.user!, name: existing.user!, action: 'identical' }
          : { ...base, section: 'users', incoming: context.value.user!, name: existing.user!, action: 'update-token', token: newUser.token, old: user.token },
      );
    }
    // The context itself is the existing one, refreshed (a new user of its own, a new namespace).
    updates.contexts.set(context.name, (value) =>
      isDeepStrictEqual(value, existing)
        ? { ...base, section: 'contexts', incoming: context.name, name, action: 'identical' }
        : { ...base, section: 'contexts', incoming: context.name, name, action: 'overwrite', value },
    );
  }
  return updates;
}

/** Every context's winning definition, by the user it names. */
function contextsOfUsers(defs: Definitions): Map<string | undefined, Array<[string, Context | undefined]>> {
  const byUser = new Map<string | undefined, Array<[string, Context | undefined]>>();
  for (const [name, [body]] of defs.contexts) {
    const c = body as Context | undefined;
    const list = byUser.get(c?.user);
    if (list) list.push([name, c]);
    else byUser.set(c?.user, [[name, c]]);
  }
  return byUser;
}

const sameCluster = (a: Cluster, b: Cluster) =>
  a.server === b.server && a['certificate-authority-data'] === b['certificate-authority-data'] && a['certificate-authority'] === b['certificate-authority'];

function decide(
  defs: Definitions,
  file: IncomingFile,
  section: Section,
  incoming: string,
  value: SectionValue[Section],
  policy: ConflictPolicy,
  prefix: string,
  imported: Set<string>,
): Decision {
  const base = { section, source: file.source, incoming };
  const name = `${prefix}${incoming}`;
  const state = availability(defs, section, name, value);
  if (state === 'free') return { ...base, name, action: 'add', value };
  if (state === 'same') return { ...base, name, action: 'identical' };
  switch (policy) {
    case 'overwrite':
      // Overwriting a user or cluster that contexts outside this import still use would change them silently.
      if (section !== 'contexts' && usedByOthers(defs, section, name, imported)) return renamed(defs, file, section, incoming, value, prefix);
      return { ...base, name, action: 'overwrite', value };
    case 'skip':
      return { ...base, name, action: 'skip' };
    case 'fail':
      return { ...base, name, action: 'conflict' };
    case 'rename':
      return renamed(defs, file, section, incoming, value, prefix);
  }
}

function renamed(defs: Definitions, file: IncomingFile, section: Section, incoming: string, value: SectionValue[Section], prefix: string): Decision {
  const base = { section, source: file.source, incoming };
  const name = chooseName(defs, file.config, section, incoming, value, prefix);
  return availability(defs, section, name, value) === 'same' ? { ...base, name, action: 'identical' } : { ...base, name, action: 'add', value };
}

/** Whether a context that this import does not bring names the cluster or user. */
function usedByOthers(defs: Definitions, section: Section, name: string, imported: Set<string>): boolean {
  const field = SECTIONS[section] as 'cluster' | 'user';
  return [...defs.contexts].some(([context, bodies]) => !imported.has(context) && bodies.some((b) => (b as Context | undefined)?.[field] === name));
}

/**
 * What renaming one shadowed entry inside one file takes: the entry and every reference to it there. Not the
 * file's current-context: that name is resolved in the merged view, where it still means the entry that
 * shadows this one, so following the rename would switch the user's cluster.
 */
export interface RenameInFile {
  section: Section;
  from: string;
  to: string;
  /** Contexts of the file whose `cluster`/`user` field names the entry. */
  references: Array<{ context: string; field: 'cluster' | 'user' }>;
}

export function renameInFile(config: RawConfig, section: Section, from: string, to: string): RenameInFile {
  const field = section === 'contexts' ? undefined : (SECTIONS[section] as 'cluster' | 'user');
  const references = field
    ? entriesOf(config, 'contexts')
        .filter((c) => c.value[field] === from)
        .map((c) => ({ context: c.name, field }))
    : [];
  return { section, from, to, references };
}
