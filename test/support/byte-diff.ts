/** The one changed region between two texts: what a byte diff of a single in-place edit shows. */
export function byteDiff(before: string, after: string): { at: number; removed: string; added: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { at: start, removed: before.slice(start, before.length - end), added: after.slice(start, after.length - end) };
}
