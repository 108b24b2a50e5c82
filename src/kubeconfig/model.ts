import type { ParsedDocument } from './parse/goyaml/parser';

/**
 * The kubeconfig model: the v1 file format as parsed (kept as plain objects so unknown fields survive) and the
 * merged view with provenance. Field names are the YAML/JSON keys, exactly as client-go's v1 types spell them.
 */

export type Extensions = Array<{ name: string; extension?: unknown }>;

export interface Cluster {
  server?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
  'disable-compression'?: boolean;
  extensions?: Extensions;
  [unknown: string]: unknown;
}

export interface ExecConfig {
  command?: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  apiVersion?: string;
  [unknown: string]: unknown;
}

export interface User {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  'auth-provider'?: { name?: string; config?: Record<string, string> };
  exec?: ExecConfig;
  extensions?: Extensions;
  [unknown: string]: unknown;
}

export interface Context {
  cluster?: string;
  user?: string;
  namespace?: string;
  extensions?: Extensions;
  [unknown: string]: unknown;
}

export interface RawConfig {
  apiVersion?: string;
  kind?: string;
  preferences?: Record<string, unknown>;
  clusters?: Array<{ name: string; cluster?: Cluster | null }> | null;
  users?: Array<{ name: string; user?: User | null }> | null;
  contexts?: Array<{ name: string; context?: Context | null }> | null;
  'current-context'?: string;
  extensions?: Extensions;
  [unknown: string]: unknown;
}

/** The three named lists of a kubeconfig, and the key that holds each entry's body. */
export const SECTIONS = { clusters: 'cluster', users: 'user', contexts: 'context' } as const;
export type Section = keyof typeof SECTIONS;
export interface SectionValue {
  clusters: Cluster;
  users: User;
  contexts: Context;
}

/** One file of the chain as it was read. `config` is empty for a missing, empty or comment-only file. */
export interface KubeconfigFile {
  path: string;
  exists: boolean;
  text: string;
  config: RawConfig;
  /** Its first document as go-yaml's parser built it, with source ranges (absent for a missing file). */
  syntax?: ParsedDocument;
}

/** Where an entry is defined: the file and its index in that file's list. */
export interface Origin {
  file: string;
  index: number;
}

export interface Entry<T> {
  name: string;
  value: T;
  origin: Origin;
  /** Later definitions of the same name, which kubectl ignores. */
  shadows: Origin[];
}

export interface MergedConfig {
  /** Every file of the chain in precedence order, including missing ones (exists: false). */
  files: KubeconfigFile[];
  clusters: Map<string, Entry<Cluster>>;
  users: Map<string, Entry<User>>;
  contexts: Map<string, Entry<Context>>;
  currentContext: string;
  /** The file whose current-context won (the first non-empty one). */
  currentContextFile?: string;
}
