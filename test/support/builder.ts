import { dump } from 'js-yaml';
import type { Cluster, Context, RawConfig, User } from '../../src/kubeconfig/model';

/** Builds kubeconfig fixtures in code (cf. kubectx's internal/testutil). Every method returns the builder. */
export class KubeconfigBuilder {
  private readonly config: RawConfig & Required<Pick<RawConfig, 'clusters' | 'users' | 'contexts'>> = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [],
    users: [],
    contexts: [],
  };

  cluster(name: string, cluster: Cluster = { server: `https://${name}.example.test:6443` }): this {
    this.config.clusters!.push({ name, cluster });
    return this;
  }

  user(name: string, user: User): this {
    this.config.users!.push({ name, user });
    return this;
  }

  /** A user with an inline bearer token. */
  tokenUser(name: string, token: string): this {
    return this.user(name, { token });
  }

  context(name: string, context: Context): this {
    this.config.contexts!.push({ name, context });
    return this;
  }

  /** A context, its cluster and a token user, all named from `name`, like one downloaded CoreWeave kubeconfig. */
  cw(name: string, token: string, userName = 'token'): this {
    return this.cluster(name, { server: `https://${name}.k8s.us-east-04a.coreweave.com` })
      .tokenUser(userName, token)
      .context(name, { cluster: name, user: userName, namespace: `tenant-${name}` });
  }

  /** The current context `local`, on a test API server (its URL and CA), as user `userName`. */
  local(server: { url: string; caData: string }, userName: string, user: User): this {
    return this.cluster('local', { server: server.url, 'certificate-authority-data': server.caData })
      .user(userName, user)
      .context('local', { cluster: 'local', user: userName })
      .current('local');
  }

  current(name: string): this {
    this.config['current-context'] = name;
    return this;
  }

  build(): RawConfig {
    return structuredClone(this.config);
  }

  yaml(): string {
    return dump(this.config, { lineWidth: -1 });
  }

  json(): string {
    return JSON.stringify(this.config, null, 2);
  }
}

export const kubeconfig = () => new KubeconfigBuilder();
