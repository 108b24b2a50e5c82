/**
 * `get` answers from a cache when no file of the chain has changed since it last answered: a shell prompt calls
 * it on every line, and reading a 7 MB kubeconfig the way kubectl does takes longer than kubectl's own start-up.
 *
 * The cache holds no secret: for each chain and selection, the files' identities (device, inode, size, mtime and
 * ctime, in nanoseconds), the answer's names, and where the token is, never what it is: the byte range of an
 * inline token (only when its text is exactly its value: one line, no tag, escape or folding), or the tokenFile
 * to read again. Any change to any file of the chain (a write in place or a rename over it) changes its identity,
 * so the answer is computed again, refusals included. It lives beside the binary's code cache in the user cache
 * directory (files/cache-dir.ts: $XDG_CACHE_HOME or ~/.cache, ~/Library/Caches, %LocalAppData%), in a directory
 * of our own (0700), as files written atomically (0600); anything unexpected there is a miss, never an error.
 */
import type { TokenRecord } from '../lifecycle/token-record';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { writeAtomic } from '../../files/atomic-write';
import { CACHE_DIR_NAME, privateCacheDir, userCacheDir } from '../../files/cache-dir';
import { Chain } from '../../kubeconfig/locate';
import { Kind, SyntaxTree, YNode } from '../../kubeconfig/parse/goyaml/parser';
import { Style } from '../../kubeconfig/parse/goyaml/scanner';
import { KubeconfigFile, Origin } from '../../kubeconfig/model';
import { readTokenFile } from '../../kubeconfig/resolve';
import { decodeUtf8 } from '../../text/bytes';

const FORMAT = 2;

export interface GetSelection {
  context?: string;
  user?: string;
  firstUser: boolean;
}

/** What `get` prints, apart from the token itself. */
export interface GetAnswer {
  context: string | null;
  user: string;
  file: string;
  token: string;
  warnings: string[];
  /** When the token was rotated and expires (the user's extensions): no secret, and the warning is made per run. */
  record?: TokenRecord;
}

type TokenSource = { inline: { file: string; start: number; end: number } } | { tokenFile: string } | { none: true };

interface Entry {
  format: number;
  identities: string[];
  answer: Omit<GetAnswer, 'token'>;
  source: TokenSource;
}

function entryName(chain: Chain, selection: GetSelection): string {
  const key = JSON.stringify([
    FORMAT,
    chain.paths.map((p) => path.resolve(p)),
    chain.explicit,
    selection.context ?? null,
    selection.user ?? null,
    selection.firstUser,
  ]);
  return `get-${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`;
}

/** Each file's identity now: what a write to it, in place or by rename, changes. */
export function identities(chain: Chain): string[] {
  return chain.paths.map((p) => {
    const s = statSync(p, { bigint: true, throwIfNoEntry: false });
    return s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}:${s.mode}` : 'missing';
  });
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Whether a file of the chain changed (or appeared, or went) since `before` was taken. */
export const changedSince = (chain: Chain, before: string[]) => !same(before, identities(chain));

/** The cached answer for this chain and selection, if every file is as it was; undefined otherwise. */
export function cachedAnswer(chain: Chain, selection: GetSelection, env: NodeJS.ProcessEnv): GetAnswer | undefined {
  try {
    const base = userCacheDir(env, process.platform);
    if (!base) return undefined;
    const file = path.join(base, CACHE_DIR_NAME, entryName(chain, selection));
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    if (entry.format !== FORMAT || !same(entry.identities, identities(chain))) return undefined;
    const token = readSource(entry.source);
    return token === undefined ? undefined : { ...entry.answer, token };
  } catch {
    return undefined;
  }
}

function readSource(source: TokenSource): string | undefined {
  if ('none' in source) return '';
  if ('tokenFile' in source) {
    const content = readTokenFile(source.tokenFile);
    return 'token' in content ? content.token : undefined; // a problem: let the full path explain it
  }
  const { file, start, end } = source.inline;
  const bytes = Buffer.alloc(end - start);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, bytes, 0, bytes.length, start) !== bytes.length) return undefined;
  } finally {
    closeSync(fd);
  }
  return decodeUtf8(bytes);
}

/** Where an inline token is in its file, when its bytes are exactly its value; undefined otherwise. */
export function inlineTokenSource(files: KubeconfigFile[], origin: Origin, token: string): TokenSource | undefined {
  const file = files.find((f) => f.path === origin.file);
  const syntax = file?.syntax;
  const node = syntax?.root === undefined ? undefined : tokenNode(syntax.tree, syntax.root, origin.index);
  if (!file || !syntax || node === undefined || token === '') return undefined;
  const tree = syntax.tree;
  if (tree.kind(node) !== Kind.Scalar || tree.tag(node) !== '' || tree.value(node) !== token) return undefined;
  const style = tree.style(node);
  const quoted = style === Style.SingleQuoted || style === Style.DoubleQuoted;
  if (!quoted && style !== Style.Plain) return undefined;
  const start = tree.contentStart(node) + (quoted ? 1 : 0);
  const end = tree.end(node) - (quoted ? 1 : 0);
  if (file.text.slice(start, end) !== token) return undefined;
  const bytesBefore = Buffer.byteLength(file.text.slice(0, start), 'utf8');
  return { inline: { file: file.path, start: bytesBefore, end: bytesBefore + Buffer.byteLength(token, 'utf8') } };
}

/** users[index].user.token as the file spells it out: no alias or merge key on the way (else not cacheable). */
function tokenNode(tree: SyntaxTree, root: YNode, index: number): YNode | undefined {
  const users = pair(tree, root, 'users');
  if (users === undefined || tree.kind(users) !== Kind.Sequence || index < 0 || index >= tree.childCount(users)) return undefined;
  const body = pair(tree, tree.child(users, index), 'user');
  return body === undefined ? undefined : pair(tree, body, 'token');
}

/** A mapping's value for a key, when every key of the mapping is a scalar and none is a merge key. */
function pair(tree: SyntaxTree, map: YNode, key: string): YNode | undefined {
  if (tree.kind(map) !== Kind.Mapping || tree.hasMergeKey(map)) return undefined;
  for (let i = 0; i < tree.childCount(map); i += 2) if (tree.kind(tree.child(map, i)) !== Kind.Scalar) return undefined;
  return tree.valueOf(map, key);
}

/** Remembers an answer computed from files whose identities were `before` (and still are). */
export function storeAnswer(
  chain: Chain,
  selection: GetSelection,
  before: string[],
  answer: GetAnswer,
  source: TokenSource | undefined,
  env: NodeJS.ProcessEnv,
): void {
  try {
    const base = userCacheDir(env, process.platform);
    if (!base || !source || !same(before, identities(chain))) return;
    const dir = privateCacheDir(base);
    if (!dir) return;
    const file = path.join(dir, entryName(chain, selection));
    const { token: _token, ...rest } = answer;
    const entry: Entry = { format: FORMAT, identities: before, answer: rest, source };
    writeAtomic(file, JSON.stringify(entry), undefined);
  } catch {
    // A cache that cannot be written is no cache.
  }
}

export type { TokenSource };
