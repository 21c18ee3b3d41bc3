import { Injectable, Logger } from '@nestjs/common';
import { Parser, Writer } from 'n3';
import type { Quad } from 'n3';

import { CatalogService } from '../catalog/catalog.service';
import { IdentifiersService } from '../identifiers/identifiers.service';
import { DatasetRecordsLoader } from '../linked-data/dataset-records.loader';
import { LinkedDataError } from '../linked-data/http/linked-data.error';
import type { Representation } from '../linked-data/http/representation';
import type { ViewerAccess } from '../linked-data/http/viewer-access';
import { IdentifierResolutionService } from '../linked-data/identifier-resolution.service';
import { RdfSerializer } from '../linked-data/json-ld/rdf-serializer.service';
import { LinkedDataSite } from '../linked-data/linked-data-site.service';
import { FairAssessmentError } from './fair-assessment.error';
import type { MetricResult, ServedDataset } from './metrics/fair-metric.types';
import { assessMetric, FAIR_METRICS, METRICS_VERSION } from './metrics/fair-metrics';
import { PROV, valuesOf } from './metrics/graph';
import { ShaclValidator } from './shacl-validator.service';

/** A dataset's FAIR self-assessment, metric by metric. */
export interface FairAssessment {
  pid: string;
  title: string;
  assessedAt: Date;
  /** Version of the FAIRsFAIR metrics the identifiers and scores follow. */
  metricsVersion: string;
  score: number;
  /** Sum of the assessed tests' scores; tests that need sources outside the site are left out. */
  maxScore: number;
  metrics: MetricResult[];
}

const EMBEDDED_JSON_LD = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/g;

/**
 * Assesses a dataset against the FAIRsFAIR metrics that can be checked
 * from the site alone. It reads the site's responses, the way a FAIR
 * assessment tool does. These are the landing page with its embedded
 * JSON-LD and Signposting links, the JSON-LD and Turtle of content
 * negotiation, and the PROV-O record of the generating harvest run; a
 * DCAT-AP validation of the description is added. The viewer's access
 * rules apply as on every other path.
 */
@Injectable()
export class FairAssessmentService {
  private readonly logger = new Logger(FairAssessmentService.name);

  constructor(
    private readonly identifiers: IdentifiersService,
    private readonly catalog: CatalogService,
    private readonly resolution: IdentifierResolutionService,
    private readonly records: DatasetRecordsLoader,
    private readonly serializer: RdfSerializer,
    private readonly site: LinkedDataSite,
    private readonly validator: ShaclValidator,
  ) {}

  async assess(id: string, access: ViewerAccess): Promise<FairAssessment> {
    const served = await this.serve(id, access);

    const metrics = FAIR_METRICS.map((metric) => assessMetric(metric, served));
    const assessment: FairAssessment = {
      pid: served.pid,
      title: served.record.dataset.title,
      assessedAt: new Date(),
      metricsVersion: METRICS_VERSION,
      score: sum(metrics.map((metric) => metric.score)),
      maxScore: sum(metrics.map((metric) => metric.maxScore)),
      metrics,
    };
    this.logger.log({
      msg: 'FAIR assessment',
      datasetPid: served.pid,
      score: assessment.score,
      maxScore: assessment.maxScore,
    });
    return assessment;
  }

  /** Gather what the site serves for the dataset. */
  private async serve(id: string, access: ViewerAccess): Promise<ServedDataset> {
    const localId = this.identifiers.parse(id.trim());
    if (localId === undefined) {
      throw new FairAssessmentError(
        'INVALID_IDENTIFIER',
        `"${id.slice(0, 80)}" is not a Weft identifier, or its check character is wrong: copy the dataset's identifier again`,
      );
    }
    const resolution = await this.catalog.resolve(localId);
    if (resolution.state === 'unknown') {
      throw new FairAssessmentError('NOT_FOUND', `identifier ${id} was never minted here`);
    }
    if (resolution.entityType !== 'dataset') {
      throw new FairAssessmentError(
        'NOT_A_DATASET',
        `identifier ${id} names a ${resolution.entityType}: FAIR assessments are of datasets`,
      );
    }
    const dataset = await this.catalog.datasetById(resolution.entityId);
    const representation = await this.representationOf(localId, access);
    if (dataset === null) {
      throw new FairAssessmentError('NOT_FOUND', `dataset ${id} is missing from the catalog`);
    }
    const [record] = await this.records.load([dataset]);

    const html = representation.renderHtml === null ? '' : await representation.renderHtml();
    const embedded = embeddedJsonLd(html);
    const quads = await this.serializer.toQuads(representation.document, { safe: true });
    const turtle = await this.serializer.serialize(representation.document, 'turtle');
    const turtleQuads = new Parser({ format: 'Turtle' }).parse(turtle);

    return {
      pid: dataset.pid,
      landingPage: this.site.landingPageOf(dataset.pid),
      status: representation.status,
      links: representation.links,
      document: representation.document,
      quads,
      turtleQuads,
      embedded: embedded.parsed,
      unparsableEmbedded: embedded.unparsable,
      record,
      generatingActivity: await this.generatingActivity(quads, dataset.pid),
      dcatAp: await this.validate(quads),
    };
  }

  private async representationOf(localId: string, access: ViewerAccess): Promise<Representation> {
    try {
      const resolved = await this.resolution.resolve(localId, access);
      if (resolved.kind === 'redirect') {
        throw new FairAssessmentError('NOT_A_DATASET', `identifier ${localId} names the catalog`);
      }
      return resolved.representation;
    } catch (error) {
      if (error instanceof LinkedDataError && (error.status === 401 || error.status === 403)) {
        throw new FairAssessmentError('FORBIDDEN', error.message);
      }
      throw error;
    }
  }

  /** Return the stored PROV-O record of the run that generated the dataset, or null when there is none. */
  private async generatingActivity(
    quads: Quad[],
    pid: string,
  ): Promise<Record<string, unknown> | null> {
    const [runPid] = valuesOf(quads, pid, `${PROV}wasGeneratedBy`);
    if (runPid === undefined) {
      return null;
    }
    const run = await this.catalog.harvestRunByPid(runPid);
    return run === null || Object.keys(run.prov).length === 0 ? null : run.prov;
  }

  private async validate(quads: Quad[]): Promise<ServedDataset['dcatAp']> {
    const shapes = this.validator.shapesName;
    try {
      return { shapes, report: await this.validator.validate(toNTriples(quads)) };
    } catch (error) {
      return { shapes, error: error instanceof Error ? error.message : String(error) };
    }
  }
}

function embeddedJsonLd(html: string): { parsed: unknown[]; unparsable: number } {
  const parsed: unknown[] = [];
  let unparsable = 0;
  for (const match of html.matchAll(EMBEDDED_JSON_LD)) {
    try {
      parsed.push(JSON.parse(match[1]));
    } catch {
      unparsable += 1;
    }
  }
  return { parsed, unparsable };
}

function toNTriples(quads: Quad[]): string {
  const writer = new Writer({ format: 'N-Triples' });
  return writer.quadsToString(quads);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
