/** New entries are written as block YAML directly; go-yaml (our port of it) must read back exactly the data. */
import fc from 'fast-check';
import { Document, visit } from 'yaml';
import { blockText } from '../../../src/kubeconfig/edit/block-text';
import { decodeYaml } from '../../../src/kubeconfig/parse/parse';

// Strings as kubeconfigs hold them, and the ones that need quotes: YAML 1.1 words, indicators, spaces, unicode.
const strings = fc.oneof(
  fc.string(),
  fc.constantFrom('on', 'yes', 'NO', '~', 'null', '12', '0x1f', '1e3', '-', '- a', ': x', '#c', 'a: b', '"q"', "'s'", 'é', '\\', '', ' lead', 'trail '),
  fc.stringMatching(/^[A-Za-z0-9._/+=~-]{1,20}$/),
);
const data = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    strings,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(strings, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const collection = fc.oneof(fc.array(data, { minLength: 1, maxLength: 4 }), fc.dictionary(strings, data, { minKeys: 1, maxKeys: 4 }));

test('go-yaml reads back exactly the data written, at any column', () => {
  let written = 0;
  fc.assert(
    fc.property(collection, fc.nat(6), (value, column) => {
      const text = blockText(value, column);
      if (text === undefined) return; // left to the yaml package
      written++;
      // A mapping at a column > 0 is read as the value of a key; a list may sit at the key's own column.
      const wrapped = column === 0 ? text : `k:\n${text}`;
      const read = decodeYaml(wrapped);
      expect(column === 0 ? read : (read as { k: unknown }).k).toEqual(value);
    }),
    { numRuns: 500 },
  );
  expect(written).toBeGreaterThan(250);
});

test('writes what the yaml package writes for entries of a kubeconfig', () => {
  const entries = [
    { name: 'prod', cluster: { server: 'https://a.example:6443', 'certificate-authority-data': 'QUJD+/==', 'insecure-skip-tls-verify': true } },
    { name: 'u 1', user: { token: 'T', exec: { command: 'cw', args: ['a b', '--x=1'], env: null }, extensions: [] } },
    { name: 'c', context: { cluster: 'prod', user: 'u 1', namespace: '#x', extensions: [{ name: 'e', extension: { 'a"b': ['x', ['y', 'z']] } }] } },
    { name: 'empty', user: {} },
  ];
  const doc = new Document(entries, { version: '1.1' });
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'string' && !/^[A-Za-z0-9_./~][A-Za-z0-9._/+=~-]*$/.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const reference = doc.toString({ indent: 2, indentSeq: false, lineWidth: 0, minContentWidth: 0 });
  expect(blockText(entries, 0)).toBe(reference);
});

test('numbers and multi-line strings are left to the yaml package', () => {
  expect(blockText([{ port: 6443 }], 0)).toBeUndefined();
  expect(blockText({ note: 'two\nlines' }, 2)).toBeUndefined();
});
