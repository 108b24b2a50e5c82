/**
 * YAML merge keys (`<<: *base`) applied as go-yaml v2 applies them, which is not the YAML spec's way: keys and
 * merges take effect in source order, so a merge overrides the keys written before it and the keys after it
 * override the merge; in a list of merges the first one wins. An alias is one shared object, merged once.
 */
export class MergeKeyError extends Error {}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function applyMerges(value: unknown, done = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (done.has(value)) return done.get(value);
  done.set(value, value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = applyMerges(value[i], done);
    return value;
  }
  const mapping = value as Record<string, unknown>;
  for (const key of Object.keys(mapping)) mapping[key] = applyMerges(mapping[key], done);
  if (!('<<' in mapping)) return mapping;

  const merged: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(mapping)) {
    if (key !== '<<') {
      merged[key] = v;
      continue;
    }
    const sources = Array.isArray(v) ? [...v].reverse() : [v];
    for (const source of sources) {
      if (!isMapping(source)) throw new MergeKeyError('a merge key (<<) needs a mapping or a list of mappings');
      Object.assign(merged, source);
    }
  }
  done.set(value, merged);
  return merged;
}
