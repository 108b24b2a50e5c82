/** A batch makes many edits in one pass, with exactly the result the same edits have one by one. */
import { KubeconfigDocument } from '../../../src/kubeconfig/edit/edit';
import { kubeconfig } from '../../support/builder';

const TEXT = `# hand-written
apiVersion: v1
kind: Config
users:
- name: a
  user:
    token: OLD   # keep this comment
- name: b
  user: {token: OLD}
- name: c
  user:
    tokenFile: /t
contexts:
- name: ctx-a
  context: {cluster: x, user: a}
- name: ctx-b
  context:
    cluster: x
    user: b
`;

function edits(doc: KubeconfigDocument) {
  doc.setField('users', 'a', 'token', 'NEW');
  doc.setField('users', 'b', 'token', 'NEW');
  doc.setField('users', 'c', 'token', 'yes'); // added after tokenFile, quoted for go-yaml
  doc.renameEntry('users', 'b', 'b-2');
  doc.setField('contexts', 'ctx-b', 'user', 'b-2');
  doc.renameEntry('contexts', 'ctx-a', 'ctx-a-2');
}

test('the same bytes as the edits one by one', () => {
  const oneByOne = new KubeconfigDocument(TEXT, 'f');
  edits(oneByOne);
  const batched = new KubeconfigDocument(TEXT, 'f');
  batched.batch(() => edits(batched));
  expect(batched.toString()).toBe(oneByOne.toString());
  expect(batched.config.users?.map((u) => u.name)).toEqual(['a', 'b-2', 'c']);
});

test('inside a batch the document reads as it was before it', () => {
  const doc = new KubeconfigDocument(TEXT, 'f');
  doc.batch(() => {
    doc.setField('users', 'a', 'token', 'NEW');
    expect(doc.entry('users', 'a')?.token).toBe('OLD');
  });
  expect(doc.entry('users', 'a')?.token).toBe('NEW');
});

test('edits that touch the same bytes are refused, and nothing changes', () => {
  const doc = new KubeconfigDocument(TEXT, 'f');
  expect(() =>
    doc.batch(() => {
      doc.setField('users', 'a', 'token', 'ONE');
      doc.setField('users', 'a', 'token', 'TWO');
    }),
  ).toThrow(/overlap/);
  expect(doc.toString()).toBe(TEXT);
});

test('a field cannot be deleted inside a batch (deletion re-reads the document)', () => {
  const doc = new KubeconfigDocument(TEXT, 'f');
  expect(() => doc.batch(() => doc.deleteField('users', 'a', 'token'))).toThrow(/cannot run inside a batch/);
  expect(doc.toString()).toBe(TEXT);
});

test('an edit that fails inside a batch leaves the document as it was', () => {
  const doc = new KubeconfigDocument(TEXT, 'f');
  expect(() =>
    doc.batch(() => {
      doc.setField('users', 'a', 'token', 'NEW');
      doc.setField('users', 'nobody', 'token', 'NEW');
    }),
  ).toThrow(/not defined/);
  expect(doc.toString()).toBe(TEXT);
});

test('hundreds of edits, one parse: every holder of a token changes', () => {
  const builder = kubeconfig();
  for (let i = 0; i < 500; i++) builder.tokenUser(`u${i}`, 'SHARED-OLD');
  const doc = new KubeconfigDocument(builder.yaml(), 'f');
  doc.batch(() => {
    for (let i = 0; i < 500; i++) doc.setField('users', `u${i}`, 'token', 'SHARED-NEW');
  });
  expect(doc.config.users?.every((u) => u.user?.token === 'SHARED-NEW')).toBe(true);
});

test('a batch is re-read once and refused, nothing changed, when the result does not mean what its edits intend', () => {
  type Splicing = { splice(this: KubeconfigDocument, start: number, end: number, text: string): void };
  const prototype = KubeconfigDocument.prototype as unknown as Splicing;
  const splice = prototype.splice;
  // A splice gone wrong (fault injection): the text still loads, but user b (the flow body) keeps its old token.
  const b = TEXT.indexOf('{token: OLD}');
  jest.spyOn(prototype, 'splice').mockImplementation(function (this: KubeconfigDocument, start, end, text) {
    splice.call(this, start, end, start > b ? 'OLD' : text);
  });
  const doc = new KubeconfigDocument(TEXT, 'f');
  try {
    expect(() =>
      doc.batch(() => {
        doc.setField('users', 'a', 'token', 'NEW');
        doc.setField('users', 'b', 'token', 'NEW');
      }),
    ).toThrow(expect.objectContaining({ kind: 'write', message: expect.stringMatching(/could not be edited in place/) }));
  } finally {
    jest.restoreAllMocks();
  }
  expect(doc.toString()).toBe(TEXT);
});
