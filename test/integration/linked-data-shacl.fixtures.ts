import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Writer } from 'n3';
import type { Quad } from 'n3';

import { corpusDir } from '../support/corpus';

const REPOSITORY = path.resolve(__dirname, '../..');

/** One result of a SHACL validation report, with IRIs as plain strings. */
export interface ShaclResult {
  focusNode: string | null;
  path: string | null;
  constraint: string | null;
  severity: string | null;
  /** The shape that reported the result: a node shape, or the property shape's IRI when it has one. */
  sourceShape: string | null;
  /** The node shape a blank property shape belongs to (`sh:property`), else null. */
  nodeShape: string | null;
  value: string | null;
  message: string[];
}

export interface ShaclReport {
  conforms: boolean;
  results: ShaclResult[];
}

export const SH = 'http://www.w3.org/ns/shacl#';

/**
 * The DCAT-AP 3.0.0 SHACL files from the corpus, read where they lie:
 * shapes.ttl contains the cardinality and node-kind constraints, range.ttl
 * the class of each property's objects, shapes_recommended.ttl the
 * recommended properties (warnings), deprecateduris.ttl warnings for
 * deprecated terms.
 */
export function dcatApShapes(file: 'shapes' | 'range' | 'recommended' | 'deprecated'): string {
  const names = {
    shapes: 'shapes.ttl',
    range: 'range.ttl',
    recommended: 'shapes_recommended.ttl',
    deprecated: 'deprecateduris.ttl',
  };
  return readFileSync(path.join(corpusDir(), 'fair/dcat-ap-3', names[file]), 'utf8');
}

/** Weft's own shapes in ontologies/shapes/. */
export function weftShapes(): string {
  return readFileSync(path.join(REPOSITORY, 'ontologies/shapes/weft-dataset.shacl.ttl'), 'utf8');
}

/**
 * Validate N-Triples against SHACL shapes (Turtle) with rdf-validate-shacl.
 * That package is an ECMAScript module, which Jest's module system cannot
 * load, so the validation runs in a child Node.js process with the real
 * engine. owl:imports in the shapes resolve to an empty graph, so nothing
 * is fetched.
 */
export function validateShacl(nTriples: string, shapes: string[]): ShaclReport {
  const script = `
    import { Parser } from 'n3';
    import SHACLValidator from 'rdf-validate-shacl';
    import factory from 'rdf-validate-shacl/src/defaultEnv.js';
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    const input = JSON.parse(text);
    const shapes = factory.dataset(input.shapes.flatMap((turtle) => new Parser().parse(turtle)));
    const data = factory.dataset(new Parser({ format: 'N-Triples' }).parse(input.data));
    // owl:imports resolve to an empty graph, so validation never reaches the network.
    const importGraph = async () => factory.dataset();
    const report = await new SHACLValidator(shapes, { factory, importGraph }).validate(data);
    const nodeShapeOf = (shape) => {
      if (shape === null || shape === undefined) return null;
      for (const quad of shapes.match(null, factory.namedNode('http://www.w3.org/ns/shacl#property'), shape)) {
        return quad.subject.value;
      }
      return null;
    };
    process.stdout.write(JSON.stringify({
      conforms: report.conforms,
      results: report.results.map((result) => ({
        focusNode: result.focusNode?.value ?? null,
        path: result.path?.value ?? null,
        constraint: result.sourceConstraintComponent?.value ?? null,
        severity: result.severity?.value ?? null,
        sourceShape: result.sourceShape?.termType === 'NamedNode' ? result.sourceShape.value : null,
        nodeShape: nodeShapeOf(result.sourceShape),
        value: result.value?.value ?? null,
        message: result.message.map((message) => message.value),
      })),
    }));
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: REPOSITORY,
    input: JSON.stringify({ shapes, data: nTriples }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 300_000,
  });
  if (child.status !== 0) {
    throw new Error(
      `SHACL validation process failed with status ${String(child.status)}: ${child.stderr}`,
    );
  }
  return JSON.parse(child.stdout) as ShaclReport;
}

/** Results of one severity (`Violation`, `Warning`), for assertions that name the severity. */
export function withSeverity(
  report: ShaclReport,
  severity: 'Violation' | 'Warning',
): ShaclResult[] {
  return report.results.filter((result) => result.severity === `${SH}${severity}`);
}

export function toNTriples(quads: Quad[]): string {
  const writer = new Writer({ format: 'N-Triples' });
  writer.addQuads(quads);
  let output = '';
  writer.end((_error, result: string) => {
    output = result;
  });
  return output;
}
