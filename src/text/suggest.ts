/**
 * "Did you mean …?" for names typed by hand: commands, flags, contexts, users. Names longer than this are not
 * typos of a short name worth the quadratic edit-distance work (a pasted token, a path), so they are cut.
 */
const MAX_LENGTH = 64;

/** The candidates closest to `name` (at most three, closest first), or none when nothing is close. */
export function closest(name: string, candidates: Iterable<string>): string[] {
  const typed = name.toLowerCase().slice(0, MAX_LENGTH);
  const limit = Math.max(2, Math.floor(typed.length / 3));
  return [...new Set(candidates)]
    .map((c) => ({ c, d: distance(typed, c.toLowerCase().slice(0, MAX_LENGTH), limit) }))
    .filter(({ c, d }) => d <= limit || (typed.length > 1 && c.includes(name)) || (c.length > 1 && name.includes(c)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ c }) => c);
}

/** ", did you mean …?" with the closest names quoted, or nothing. */
export function suggest(name: string, candidates: Iterable<string>): string {
  const names = closest(name, candidates);
  return names.length ? `; did you mean ${names.map((c) => `"${c}"`).join(', ')}?` : '';
}

/** Levenshtein distance, giving up (returning limit + 1) as soon as every path is already over the limit. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
