import type { Quad } from 'n3';

import type { DatasetRecord } from '../../linked-data/descriptions/dataset-record';
import type { JsonLdNode } from '../../linked-data/json-ld/json-ld.types';
import type { TypedLink } from '../../linked-data/signposting/typed-link';
import type { ShaclReport } from '../shacl-validator.service';

/** The result of one metric test: passed, failed, or not assessable from the site alone. */
export type TestStatus = 'passed' | 'failed' | 'not-assessed';

/** A metric's status: every assessed test passed, some did, none did, or none could be assessed. */
export type MetricStatus = 'pass' | 'partial' | 'fail' | 'not-assessed';

export interface MetricTestResult {
  /** Test identifier, after the FAIRsFAIR metric tests (`FsF-F2-01M-2`). */
  id: string;
  name: string;
  /** Score of the test when it passes. */
  maxScore: number;
  score: number;
  status: TestStatus;
  /** Statements of the checks made and their findings, one each. */
  evidence: string[];
}

export interface MetricResult {
  /** FAIRsFAIR metric identifier (`FsF-R1.1-01M`). */
  id: string;
  name: string;
  /** FAIR principle the metric tests (`R1.1`). */
  principle: string;
  /** Sum of the scores of the assessed tests. */
  maxScore: number;
  score: number;
  status: MetricStatus;
  tests: MetricTestResult[];
}

/** The site's responses for a dataset, gathered as a FAIR assessment tool would fetch them. */
export interface ServedDataset {
  pid: string;
  /** The resolver URL, which serves the landing page and the metadata. */
  landingPage: string;
  /** HTTP status of the landing page: 200, or 410 for a withdrawn dataset. */
  status: number;
  /** The typed links of the landing page's `Link` header. */
  links: TypedLink[];
  /** The JSON-LD served by content negotiation. */
  document: JsonLdNode;
  /** Its triples, expanded with the bundled context in safe mode. */
  quads: Quad[];
  /** Triples read back from the Turtle variant. */
  turtleQuads: Quad[];
  /** The JSON-LD blocks embedded in the landing page, parsed; unparsable blocks are left out. */
  embedded: unknown[];
  /** Embedded blocks that did not parse as JSON. */
  unparsableEmbedded: number;
  /** The catalog record the description was built from, for facts the graph does not carry (licence list membership). */
  record: DatasetRecord;
  /** The provenance document of the run that generated the dataset, when it exists. */
  generatingActivity: Record<string, unknown> | null;
  /** DCAT-AP validation of the description, and which shapes were used. */
  dcatAp: { shapes: string; report: ShaclReport } | { shapes: string; error: string };
}

/** One test of a metric: its id, name and score, and the check that decides it. */
export interface MetricTest {
  id: string;
  name: string;
  score: number;
  check(dataset: ServedDataset): TestOutcome;
}

/** A test's verdict with its evidence; `not-assessed` for checks that need sources beyond the site. */
export interface TestOutcome {
  status: TestStatus;
  evidence: string[];
}

export interface MetricDefinition {
  id: string;
  name: string;
  principle: string;
  tests: MetricTest[];
}
