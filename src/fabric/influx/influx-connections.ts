import { InfluxqlClient } from '../../harvest/influx/influxql-client';
import type { InfluxqlAuth } from '../../harvest/influx/influxql-client';
import { resolveSecret } from '../../sources/secrets';
import type { InfluxV1SourceConfig, InfluxV2SourceConfig } from '../../sources/source-config.types';
import { FluxHttpClient } from './flux-http.client';

/**
 * Open an InfluxQL client for a v1 source with the same credentials as its
 * harvester: a user name selects basic authentication, a password alone is
 * sent as an API token.
 */
export function influxqlClientFor(config: InfluxV1SourceConfig, timeoutMs: number): InfluxqlClient {
  return new InfluxqlClient({
    url: config.url,
    auth: influxqlAuth(config),
    caFile: config.caFile,
    timeoutMs,
  });
}

/** Open a Flux client for a v2 source. */
export function fluxClientFor(config: InfluxV2SourceConfig): FluxHttpClient {
  return new FluxHttpClient({
    url: config.url,
    org: config.org,
    token: resolveSecret(config.token, `source ${config.id}`),
    caFile: config.caFile,
  });
}

function influxqlAuth(config: InfluxV1SourceConfig): InfluxqlAuth {
  const secret = resolveSecret(config.password, `source ${config.id}`);
  if (config.username !== undefined && config.username !== '') {
    return { kind: 'basic', username: config.username, password: secret ?? '' };
  }
  if (secret !== undefined) {
    return { kind: 'token', token: secret };
  }
  return { kind: 'none' };
}
