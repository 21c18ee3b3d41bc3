import type { TestOutcome } from './fair-metric.types';

export function passed(...evidence: string[]): TestOutcome {
  return { status: 'passed', evidence };
}

export function failed(...evidence: string[]): TestOutcome {
  return { status: 'failed', evidence };
}

export function notAssessed(...evidence: string[]): TestOutcome {
  return { status: 'not-assessed', evidence };
}

/** Pass when nothing is missing; the evidence names what was found and what is missing. */
export function requireAll(found: string[], missing: string[], subject: string): TestOutcome {
  const evidence = [];
  if (found.length > 0) {
    evidence.push(`${subject} present: ${found.join(', ')}`);
  }
  if (missing.length > 0) {
    evidence.push(`${subject} missing: ${missing.join(', ')}`);
    return failed(...evidence);
  }
  return passed(...evidence);
}
