import { accessSync, constants, statSync } from 'node:fs';

import { resolveSecret } from './secrets';
import type { SecretRef, SourceConfig } from './source-config.types';

/**
 * Checks what a source refers to outside the sources file: secret files and
 * environment variables, CA certificates and NodeSet files. Returns one
 * message per problem, each naming the field and the fix. Secret values are
 * read to prove they exist but never appear in a message.
 */
export function sourceReferenceProblems(source: SourceConfig): string[] {
  const problems: string[] = [];
  const owner = `source ${source.id}`;

  const secret = (field: string, ref: SecretRef | undefined): void => {
    try {
      const value = resolveSecret(ref, `${owner} ${field}`);
      if (value === '') {
        problems.push(`${owner} ${field}: the secret is empty; write the secret into it`);
      }
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  };

  const file = (field: string, path: string | undefined): void => {
    if (path === undefined) {
      return;
    }
    const problem = unreadableFileProblem(path);
    if (problem !== undefined) {
      problems.push(`${owner} ${field} ${path}: ${problem}`);
    }
  };

  switch (source.kind) {
    case 'mqtt':
    case 'influxdb-v1':
    case 'postgresql':
      secret('password', source.password);
      file('caFile', source.caFile);
      break;
    case 'influxdb-v2':
      secret('token', source.token);
      file('caFile', source.caFile);
      break;
    case 'opcua':
      secret('password', source.password);
      file('serverCertificateFile', source.serverCertificateFile);
      break;
    case 'opcua-nodeset':
      source.files.forEach((path, index) => file(`files[${index}]`, path));
      break;
  }
  return problems;
}

function unreadableFileProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) {
      return 'is not a regular file; point the field at a file';
    }
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return 'does not exist; create it or fix the path';
    }
    if (code === 'EACCES') {
      return "is not readable by Weft's user; fix its owner or mode";
    }
    return `cannot be read (${code ?? String(error)})`;
  }
}
