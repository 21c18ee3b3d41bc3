import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { validateXML } from 'xmllint-wasm';

const REPOSITORY = path.resolve(__dirname, '../..');
const CACHE = path.join(REPOSITORY, '.cache/oai-pmh');

/**
 * The OAI-PMH 2.0 response schema (OAI-PMH.xsd, the 2005-06-08 revision
 * the protocol publishes) as shipped in the source distribution of the
 * PyPI package pyoai 2.5.0 (BSD licence), fetched with pip into .cache/ on
 * first use and checked against its SHA-256.
 */
const PYOAI = { name: 'pyoai', version: '2.5.0' };
const SCHEMA_MEMBER = 'pyoai-2.5.0/src/oaipmh/tests/OAI-PMH.xsd';
const SCHEMA_SHA256 = '1da2a22b2b7753700a5dbf74fef663714927be49a7404b53627a2fdf4e011fc9';

export function oaiPmhSchema(): string {
  const archive = path.join(CACHE, `${PYOAI.name}-${PYOAI.version}.tar.gz`);
  if (!existsSync(archive)) {
    mkdirSync(CACHE, { recursive: true });
    execFileSync(
      'python3',
      [
        '-m',
        'pip',
        'download',
        '--quiet',
        '--no-deps',
        '--no-binary',
        ':all:',
        '--dest',
        CACHE,
        `${PYOAI.name}==${PYOAI.version}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
    );
  }
  if (!existsSync(archive)) {
    throw new Error(
      `pip did not leave ${archive}; found ${readdirSync(CACHE).join(', ')}: check that PyPI is reachable`,
    );
  }
  const schema = execFileSync('tar', ['-xzOf', archive, SCHEMA_MEMBER], { encoding: 'utf8' });
  const digest = createHash('sha256').update(schema, 'utf8').digest('hex');
  if (digest !== SCHEMA_SHA256) {
    throw new Error(
      `${SCHEMA_MEMBER} in ${archive} has SHA-256 ${digest}, expected ${SCHEMA_SHA256}`,
    );
  }
  return schema;
}

/** Validate an XML document against an XML Schema with xmllint (libxml2 compiled to WebAssembly). */
export async function validateAgainstSchema(
  xml: string,
  schema: string,
): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: [{ fileName: 'response.xml', contents: xml }],
    schema: [{ fileName: 'schema.xsd', contents: schema }],
  });
  return { valid: result.valid, errors: result.errors.map((error) => error.rawMessage) };
}
