import { ApiServer, CoreWeaveBehaviour, startApiServer } from './apiserver';

/** Tokens with a known answer from the emulated CoreWeave API; any other token is refused (401) like an expired one. */
export const TOKENS = {
  valid: 'CW-SECRET-valid0000000000000000',
  noPermission: 'CW-SECRET-noperm111111111111111',
  malformed: 'CW-SECRET-malformed22222222222',
  notAList: 'CW-SECRET-notalist3333333333333',
  hangs: 'CW-SECRET-hangs44444444444444444',
  flaky: 'CW-SECRET-flaky55555555555555555',
  expired: 'CW-SECRET-expired666666666666666',
} as const;

const BEHAVIOUR: Record<string, CoreWeaveBehaviour> = {
  [TOKENS.valid]: 'clusters',
  [TOKENS.noPermission]: 'forbidden',
  [TOKENS.malformed]: 'malformed',
  [TOKENS.notAList]: 'not-a-list',
  [TOKENS.hangs]: 'hang',
  [TOKENS.flaky]: 'flaky',
};

/**
 * The documented cluster list: two running clusters whose bare-host endpoints reach this test server (by IP and by
 * name, both in its certificate), one being created (no endpoint yet) and one being deleted (short status form).
 */
export const CLUSTERS = [
  { id: 'c-1', name: 'alpha', zone: 'US-EAST-04A', status: 'STATUS_RUNNING', version: 'v1.32.3', public: true, apiServerEndpoint: '127.0.0.1:{port}' },
  { id: 'c-2', name: 'beta', zone: 'US-WEST-01A', status: 'RUNNING', version: 'v1.31.7', public: false, apiServerEndpoint: 'localhost:{port}' },
  { id: 'c-3', name: 'gamma', zone: 'US-EAST-04A', status: 'STATUS_CREATING', version: 'v1.32.3', public: true, apiServerEndpoint: '' },
  {
    id: 'c-4',
    name: 'delta',
    zone: 'US-EAST-04A',
    status: 'DELETING',
    version: 'v1.30.9',
    public: true,
    apiServerEndpoint: 'ab1cd2-d.k8s.us-east-04a.coreweave.com',
  },
];

/** One server for both APIs: the Kubernetes API accepts the valid token (and the others that reach CoreWeave). */
export function startCoreWeave(): Promise<ApiServer> {
  return startApiServer({
    acceptedToken: TOKENS.valid,
    alsoAccepted: [TOKENS.noPermission, TOKENS.malformed, TOKENS.notAList, TOKENS.hangs, TOKENS.flaky],
    username: 'alice@example.com',
    coreweave: { tokens: BEHAVIOUR, clusters: CLUSTERS },
  });
}

/** The environment that sends the plugin to the emulated CoreWeave API and trusts its CA (as a user's proxy CA). */
export const coreweaveEnv = (server: ApiServer, extra: Record<string, string | undefined> = {}) => ({
  COREWEAVE_API_ENDPOINT: `${server.url}/`,
  NODE_EXTRA_CA_CERTS: server.caFile,
  ...extra,
});

/** One emulated CoreWeave (and Kubernetes) API server for the test file: started before its tests, closed after. */
export function useCoreWeave(): { readonly server: ApiServer } {
  let server: ApiServer | undefined;
  beforeAll(async () => {
    server = await startCoreWeave();
  });
  afterAll(() => server?.close());
  return {
    get server() {
      if (!server) throw new Error('the CoreWeave test server is not running');
      return server;
    },
  };
}
