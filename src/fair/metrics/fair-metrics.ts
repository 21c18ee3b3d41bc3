import { ACCESSIBLE_METRICS } from './accessible.metrics';
import type {
  MetricDefinition,
  MetricResult,
  MetricStatus,
  ServedDataset,
} from './fair-metric.types';
import { FINDABLE_METRICS } from './findable.metrics';
import { INTEROPERABLE_METRICS } from './interoperable.metrics';
import { REUSABLE_METRICS } from './reusable.metrics';

/**
 * The FAIRsFAIR data object assessment metrics (version 0.5, as F-UJI
 * implements them) that can be checked from the site alone, in the order
 * of the FAIR principles. Each test scores what the published metric gives
 * it; tests that need sources outside the site are reported, not scored.
 */
export const FAIR_METRICS: readonly MetricDefinition[] = [
  ...FINDABLE_METRICS,
  ...ACCESSIBLE_METRICS,
  ...INTEROPERABLE_METRICS,
  ...REUSABLE_METRICS,
];

/** The version of the FAIRsFAIR metrics the identifiers and scores follow. */
export const METRICS_VERSION = '0.5';

/** Run every test of a metric against what the site serves and total the scores. */
export function assessMetric(metric: MetricDefinition, dataset: ServedDataset): MetricResult {
  const tests = metric.tests.map((test) => {
    const outcome = test.check(dataset);
    return {
      id: test.id,
      name: test.name,
      maxScore: test.score,
      score: outcome.status === 'passed' ? test.score : 0,
      status: outcome.status,
      evidence: outcome.evidence,
    };
  });
  const assessed = tests.filter((test) => test.status !== 'not-assessed');
  const maxScore = sum(assessed.map((test) => test.maxScore));
  const score = sum(tests.map((test) => test.score));
  return {
    id: metric.id,
    name: metric.name,
    principle: metric.principle,
    maxScore,
    score,
    status: statusOf(score, maxScore),
    tests,
  };
}

function statusOf(score: number, maxScore: number): MetricStatus {
  if (maxScore === 0) {
    return 'not-assessed';
  }
  if (score === maxScore) {
    return 'pass';
  }
  return score === 0 ? 'fail' : 'partial';
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
