import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Injectable, Logger } from '@nestjs/common';

import { WeftConfigService } from '../config/weft-config.service';
import { ontologiesDirectory } from '../linked-data/json-ld/ontology-files';

/** One result of a SHACL validation report. */
export interface ShaclResult {
  focusNode: string | null;
  path: string | null;
  severity: string | null;
  constraint: string | null;
  message: string[];
}

export interface ShaclReport {
  conforms: boolean;
  results: ShaclResult[];
}

/** How long a validation may take before its process is ended. */
const VALIDATION_TIMEOUT_MS = 60_000;

/**
 * Runs rdf-validate-shacl in a child Node.js process. The package is an
 * ECMAScript module, which Jest's module system cannot load into the
 * CommonJS code it tests, and a child process keeps a validation of
 * several seconds off the thread that serves requests. owl:imports in the
 * shapes resolve to an empty graph, so validation never fetches anything.
 */
@Injectable()
export class ShaclValidator {
  private readonly logger = new Logger(ShaclValidator.name);

  /** Description of the shapes in use, for evidence. */
  readonly shapesName: string;
  private readonly shapes: string[];

  constructor(config: WeftConfigService) {
    const directory = config.value.dcatApShapesDir;
    if (directory === null) {
      this.shapesName = "Weft's DCAT-AP 3 subset (ontologies/shapes/dcat-ap-3-subset.shacl.ttl)";
      this.shapes = [
        readFileSync(path.join(ontologiesDirectory(), 'shapes/dcat-ap-3-subset.shacl.ttl'), 'utf8'),
      ];
    } else {
      this.shapesName = `the DCAT-AP 3 shapes.ttl and range.ttl in ${directory}`;
      this.shapes = ['shapes.ttl', 'range.ttl'].map((file) =>
        readFileSync(path.join(directory, file), 'utf8'),
      );
    }
  }

  /**
   * Validate N-Triples against the DCAT-AP shapes. Validations run one at a
   * time: each is a child process that takes a core for a second or more, so
   * a burst of requests queues instead of starting hundreds of processes.
   */
  async validate(nTriples: string): Promise<ShaclReport> {
    const turn = this.queue.then(() =>
      this.run(JSON.stringify({ shapes: this.shapes, data: nTriples })),
    );
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    const output = await turn;
    return JSON.parse(output) as ShaclReport;
  }

  private queue: Promise<void> = Promise.resolve();

  private run(input: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '--eval', VALIDATOR_SCRIPT], {
        cwd: path.dirname(ontologiesDirectory()),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, VALIDATION_TIMEOUT_MS);

      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) {
          resolve(Buffer.concat(stdout).toString('utf8'));
          return;
        }
        const reason =
          signal === 'SIGKILL'
            ? `timed out after ${VALIDATION_TIMEOUT_MS} ms`
            : `exited with ${String(code ?? signal)}: ${lastLine(Buffer.concat(stderr).toString('utf8'))}`;
        this.logger.error({ msg: 'SHACL validation failed', reason });
        reject(new Error(`SHACL validation ${reason}`));
      });
      child.stdin.end(input);
    });
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines.find((line) => /Error/.test(line)) ?? lines[lines.length - 1] ?? '';
}

const VALIDATOR_SCRIPT = `
import { Parser } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import factory from 'rdf-validate-shacl/src/defaultEnv.js';
let text = '';
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
const shapes = factory.dataset(input.shapes.flatMap((turtle) => new Parser().parse(turtle)));
const data = factory.dataset(new Parser({ format: 'N-Triples' }).parse(input.data));
const importGraph = async () => factory.dataset();
const report = await new SHACLValidator(shapes, { factory, importGraph }).validate(data);
process.stdout.write(JSON.stringify({
  conforms: report.conforms,
  results: report.results.map((result) => ({
    focusNode: result.focusNode?.value ?? null,
    path: result.path?.value ?? null,
    severity: result.severity?.value ?? null,
    constraint: result.sourceConstraintComponent?.value ?? null,
    message: result.message.map((message) => message.value),
  })),
}));
`;
