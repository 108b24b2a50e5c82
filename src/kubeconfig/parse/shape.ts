/**
 * The shape kubectl decodes a kubeconfig into (client-go's clientcmd/api/v1 types). kubectl refuses a whole file
 * when a known field has the wrong JSON type, so we do too, and say where. Unknown fields are ignored, as in
 * kubectl; null is every type's zero value.
 */
type Spec = 'string' | 'bool' | 'bytes' | 'any' | { list: Spec } | { map: Spec } | { fields: Record<string, Spec> };

const extensions: Spec = { list: { fields: { name: 'string', extension: 'any' } } };

const cluster: Spec = {
  fields: {
    server: 'string',
    'tls-server-name': 'string',
    'insecure-skip-tls-verify': 'bool',
    'certificate-authority': 'string',
    'certificate-authority-data': 'bytes',
    'proxy-url': 'string',
    'disable-compression': 'bool',
    extensions,
  },
};

const user: Spec = {
  fields: {
    'client-certificate': 'string',
    'client-certificate-data': 'bytes',
    'client-key': 'string',
    'client-key-data': 'bytes',
    token: 'string',
    tokenFile: 'string',
    as: 'string',
    'as-uid': 'string',
    'as-groups': { list: 'string' },
    'as-user-extra': { map: { list: 'string' } },
    username: 'string',
    password: 'string',
    'auth-provider': { fields: { name: 'string', config: { map: 'string' } } },
    exec: {
      fields: {
        command: 'string',
        args: { list: 'string' },
        env: { list: { fields: { name: 'string', value: 'string' } } },
        apiVersion: 'string',
        installHint: 'string',
        provideClusterInfo: 'bool',
        interactiveMode: 'string',
      },
    },
    extensions,
  },
};

const context: Spec = { fields: { cluster: 'string', user: 'string', namespace: 'string', extensions } };

const config: Spec = {
  fields: {
    apiVersion: 'string',
    kind: 'string',
    preferences: { fields: { colors: 'bool', extensions } },
    clusters: { list: { fields: { name: 'string', cluster } } },
    users: { list: { fields: { name: 'string', user } } },
    contexts: { list: { fields: { name: 'string', context } } },
    'current-context': 'string',
    extensions,
  },
};

export type PathSegment = string | number;

export interface ShapeProblem {
  path: PathSegment[];
  /** What is wrong, phrased without the value (it may be a token). */
  message: string;
}

const jsonType = (v: unknown): string =>
  Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a mapping' : `a ${typeof v === 'boolean' ? 'bool' : typeof v}`;

// Go's base64.StdEncoding, which ignores \r and \n.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (s: string): boolean => {
  const t = s.includes('\n') || s.includes('\r') ? s.replace(/[\r\n]/g, '') : s;
  return t.length % 4 === 0 && BASE64.test(t);
};

function wrong(value: unknown, path: PathSegment[], expected: string): ShapeProblem {
  const hint = typeof value === 'boolean' || typeof value === 'number' ? '; quote the value so YAML reads it as a string' : '';
  return { path: [...path], message: `must be ${expected}, but is ${jsonType(value)}${hint}` };
}

/** Checks a value against one spec, pushing onto `path` (one stack shared by the whole walk, copied only for a problem). */
type Checker = (value: unknown, path: PathSegment[]) => ShapeProblem | undefined;

// Each spec becomes its own small function once, so the walk over every node of a file with thousands of
// entries (on get's path, and again after every edit) neither interprets the spec nor allocates per node.
function compile(spec: Spec): Checker {
  if (spec === 'any') return () => undefined;
  if (spec === 'string')
    return (value, path) => (value === null || value === undefined || typeof value === 'string' ? undefined : wrong(value, path, 'a string'));
  if (spec === 'bool')
    return (value, path) => (value === null || value === undefined || typeof value === 'boolean' ? undefined : wrong(value, path, 'true or false'));
  if (spec === 'bytes')
    return (value, path) => {
      if (value === null || value === undefined) return undefined;
      if (typeof value !== 'string') return wrong(value, path, 'a base64 string');
      return isBase64(value) ? undefined : { path: [...path], message: 'is not valid base64' };
    };
  if ('list' in spec) {
    const item = compile(spec.list);
    return (value, path) => {
      if (value === null || value === undefined) return undefined;
      if (!Array.isArray(value)) return wrong(value, path, 'a list');
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        const problem = item(value[i], path);
        path.pop();
        if (problem) return problem;
      }
      return undefined;
    };
  }
  const each = 'map' in spec ? compile(spec.map) : undefined;
  const fields = 'fields' in spec ? new Map(Object.entries(spec.fields).map(([key, field]) => [key, compile(field)])) : undefined;
  return (value, path) => {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return wrong(value, path, 'a mapping');
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const field = each ?? fields!.get(key);
      if (field === undefined) continue; // an unknown field: kubectl ignores it
      path.push(key);
      const problem = field(record[key], path);
      path.pop();
      if (problem) return problem;
    }
    return undefined;
  };
}

const checkConfig = compile(config);

/** The first place where `document` does not fit kubectl's Config type, if any. */
export function checkShape(document: unknown): ShapeProblem | undefined {
  return checkConfig(document, []);
}

export function formatPath(path: PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
