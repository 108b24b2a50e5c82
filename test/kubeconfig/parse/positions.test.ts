/** Where a path is in the text: the line doctor prints beside each finding. */
import { lineFinder, lineOf } from '../../../src/kubeconfig/parse/positions';

const TEXT = 'apiVersion: v1\r\nclusters:\r- name: a\n  cluster: {server: s}\u0085- name: b\n  cluster: {server: t}\n';

test.each<[string, Array<string | number>, number]>([
  ['on the first line', ['apiVersion'], 1],
  ['after a CRLF and a lone CR', ['clusters', 0, 'name'], 3],
  ['after a NEL', ['clusters', 1, 'cluster'], 6],
])('a value %s is on the line go-yaml counts (CRLF, CR, LF, NEL each one break)', (_, path, line) => {
  expect(lineOf(TEXT, path)).toBe(line);
});

// bad-input fuzzing: doctor on a 20 MB file of 2,500 unused clusters parsed the file and counted its lines from
// the start once per finding (minutes); one finder per file answers every path.
test('one finder answers every path of a file, as lineOf does for each', () => {
  const find = lineFinder(TEXT);
  for (const path of [['apiVersion'], ['clusters', 0, 'cluster', 'server'], ['clusters', 1, 'name'], ['nowhere']]) expect(find(path)).toBe(lineOf(TEXT, path));
});
