import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';

import { corpusDir } from '../support/corpus';

// No Docker engine runs on the test machine, so docker-compose.yml is
// checked against the Compose Specification's published JSON Schema.
describe('docker-compose.yml', () => {
  const root = path.resolve(__dirname, '../..');
  const compose = parseYaml(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      {
        image?: string;
        build?: unknown;
        ports?: string[];
        environment?: Record<string, string>;
        volumes?: string[];
      }
    >;
    secrets: Record<string, { file: string }>;
  };

  it('validates against the Compose Specification schema', () => {
    const schema = JSON.parse(
      readFileSync(path.join(corpusDir(), 'compose/compose-spec.json'), 'utf8'),
    ) as Record<string, unknown>;
    // The schema names its meta-schema with an https URL that Ajv registers under http; validating the
    // meta-schema itself would need a network fetch, so only the document is validated.
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      validateFormats: false,
      validateSchema: false,
    });
    const validate = ajv.compile(schema);

    const valid = validate(compose);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('schema rejects an unknown service key', () => {
    const schema = JSON.parse(
      readFileSync(path.join(corpusDir(), 'compose/compose-spec.json'), 'utf8'),
    ) as Record<string, unknown>;
    const ajv = new Ajv({
      allErrors: true,
      strict: false,
      validateFormats: false,
      validateSchema: false,
    });
    const validate = ajv.compile(schema);

    expect(validate({ services: { weft: { image: 'weft:1', restart_policy: 'always' } } })).toBe(
      false,
    );
  });

  it('runs Weft, PostgreSQL, Mosquitto, InfluxDB 2 and Keycloak', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'influxdb',
      'keycloak',
      'mosquitto',
      'postgres',
      'weft',
    ]);
    expect(compose.services.influxdb?.image).toMatch(/^influxdb:2\./);
  });

  it('pins every image and publishes ports on loopback only', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image !== undefined) {
        expect(`${name}: ${service.image}`).toMatch(/:[0-9][^:]*$/);
        expect(service.image).not.toMatch(/:latest$/);
      }
      for (const port of service.ports ?? []) {
        expect(`${name}: ${port}`).toMatch(/^[a-z]+: 127\.0\.0\.1:/);
      }
    }
  });

  it('takes passwords from secret files, never from literals', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|TOKEN|SECRET/.test(key)) {
          expect(`${name}.${key}`).toMatch(/_FILE$/);
          expect(value).toMatch(/^\/run\/secrets\//);
        }
      }
    }
    for (const secret of Object.values(compose.secrets)) {
      expect(secret.file).toMatch(/^\.\/deploy\/compose\/secrets\//);
    }
  });

  it('mounts files that exist in the repository', () => {
    const mounts = Object.values(compose.services).flatMap((service) => service.volumes ?? []);
    for (const mount of mounts) {
      const source = mount.split(':')[0] ?? '';
      if (source.startsWith('./') && !source.startsWith('./deploy/compose/secrets')) {
        expect(`${source} exists: ${existsSync(path.join(root, source))}`).toBe(
          `${source} exists: true`,
        );
      }
    }
  });
});
