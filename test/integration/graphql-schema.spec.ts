import { readFileSync } from 'node:fs';
import path from 'node:path';

import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';

import { startTestApp } from '../support/test-app';
import type { TestApp } from '../support/test-app';

// The GraphQL schema is generated from the code; the committed copy is what
// reviewers and clients read. Regenerate it with `npm run schema` after a change.
describe('GraphQL schema file', () => {
  let harness: TestApp;

  beforeAll(async () => {
    harness = await startTestApp();
  });

  afterAll(async () => {
    await harness.close();
  });

  it('matches the schema the code generates', () => {
    const schema = harness.app.get(GraphQLSchemaHost).schema;
    const generated = printSchema(lexicographicSortSchema(schema)).trim();
    const committed = readFileSync(
      path.resolve(__dirname, '../../src/graphql/schema.graphql'),
      'utf8',
    )
      .split('\n')
      .filter((line) => !line.startsWith('# '))
      .join('\n')
      .trim();

    expect(committed).toBe(generated);
  });
});
