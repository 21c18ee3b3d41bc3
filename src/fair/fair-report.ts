import type { FairAssessment } from './fair-assessment.service';

/** Labels of metric statuses in the text report, padded to one width. */
const METRIC_LABELS = {
  pass: 'PASS',
  partial: 'PARTIAL',
  fail: 'FAIL',
  'not-assessed': 'N/A',
} as const;

/**
 * Write an assessment as the text report of `weft fair`: a summary line,
 * then each metric with its status and score, and under it each test with
 * its evidence.
 */
export function formatAssessment(assessment: FairAssessment): string {
  const lines = [
    `FAIR assessment of ${assessment.pid} "${assessment.title}"`,
    `FAIRsFAIR metrics ${assessment.metricsVersion}, assessed ${assessment.assessedAt.toISOString()}: score ${score(assessment.score)} of ${score(assessment.maxScore)}`,
    'Tests that need sources outside the site (research data registries, the data files) are listed as not assessed and left out of the maximum.',
    '',
  ];
  for (const metric of assessment.metrics) {
    lines.push(
      `${METRIC_LABELS[metric.status].padEnd(8)} ${metric.id.padEnd(13)} ${score(metric.score)}/${score(metric.maxScore)}  ${metric.name} (${metric.principle})`,
    );
    for (const test of metric.tests) {
      lines.push(`  ${test.status.padEnd(12)} ${test.id}  ${test.name}`);
      for (const evidence of test.evidence) {
        lines.push(`      - ${evidence}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function score(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
