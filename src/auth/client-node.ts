/**
 * The only door to @kubernetes/client-node. Import this module lazily (`await import('./client-node')`): the
 * library is ESM-only, costs hundreds of milliseconds to load, and re-exporting just these names lets esbuild
 * drop the rest of it from the bundle.
 */
export { AbortError, ApiException, AuthenticationV1Api, FetchError, KubeConfig, Observable } from '@kubernetes/client-node';
export type { ObservableMiddleware } from '@kubernetes/client-node';
