import { DEFAULT_LOCK_TIMEOUT_MS } from '../kubeconfig/lock';

/** `--lock-timeout` is in seconds, like kubectl's durations in plain numbers; the write layer takes ms. */
export const lockTimeoutMs = (seconds: number | undefined) => (seconds === undefined ? DEFAULT_LOCK_TIMEOUT_MS : seconds * 1000);
