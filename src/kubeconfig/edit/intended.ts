import { RawConfig, SECTIONS, Section } from '../model';

type Item = Record<string, unknown>;

/**
 * The config an edit, or a batch of edits, must leave as kubectl reads it: the config before it, copied only where
 * the edits change it (the top level, a section's list, an entry), so that the 5,000 edits of one batch cost their
 * own size and not a copy of the file's lists each. The config it starts from is never changed.
 */
export class IntendedConfig {
  private current: RawConfig;
  /** The objects and lists this one made, which it may change in place. */
  private readonly own = new Set<object>();

  constructor(before: RawConfig) {
    this.current = before;
  }

  get value(): RawConfig {
    return this.current;
  }

  /** Sets a top-level key (`current-context`). */
  set(key: string, value: unknown): void {
    this.top()[key] = value;
  }

  /** Top-level keys the config gets when it has none of its own (a blank file gets kubectl's header). */
  defaults(values: Record<string, unknown>): void {
    this.current = { ...values, ...this.current };
    this.own.add(this.current);
  }

  /** New entries at the end of a section (an absent or null list is an empty one). */
  append(section: Section, items: unknown[]): void {
    this.list(section).push(...items);
  }

  /** Replaces the entry at `index` with what `change` makes of it (an absent or null item reads as {}). */
  entry(section: Section, index: number, change: (entry: Item) => Item): void {
    if (index < 0) return; // no such entry: the edit itself refuses
    const list = this.list(section);
    list[index] = change((list[index] as Item | null | undefined) ?? {});
  }

  /** Replaces the body (`user:`, `cluster:`, `context:`) of the entry at `index`. */
  body(section: Section, index: number, change: (body: Item) => Item): void {
    const key = SECTIONS[section];
    this.entry(section, index, (entry) => ({ ...entry, [key]: change((entry[key] as Item | null | undefined) ?? {}) }));
  }

  private top(): Item {
    if (!this.own.has(this.current)) {
      this.current = { ...this.current };
      this.own.add(this.current);
    }
    return this.current;
  }

  private list(section: Section): unknown[] {
    const top = this.top();
    let list = top[section] as unknown[] | null | undefined;
    if (!list || !this.own.has(list)) {
      list = [...(list ?? [])];
      this.own.add(list);
      top[section] = list;
    }
    return list;
  }
}

/** Deep equality of decoded JSON values (key order aside, as in a Go map). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], bb[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(y, key) || !sameValue(x[key], y[key])) return false;
    count++;
  }
  for (const key in y) if (Object.hasOwn(y, key)) count--;
  return count === 0;
}
