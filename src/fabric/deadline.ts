import { FabricError } from './fabric.error';

/**
 * The time budget of one request, shared by every query it sends: one
 * signal that fires when the budget is spent, and the time left, which
 * bounds each source's own timeout.
 */
export class QueryDeadline {
  readonly signal: AbortSignal;
  private readonly endsAt: number;

  constructor(readonly budgetMs: number) {
    this.endsAt = Date.now() + budgetMs;
    this.signal = AbortSignal.timeout(budgetMs);
  }

  /** Milliseconds left, at least 1 so a source still gets a valid timeout. */
  remainingMs(): number {
    return Math.max(1, this.endsAt - Date.now());
  }

  /** Throw the time-budget error when the budget is already spent. */
  check(what: string): void {
    if (this.signal.aborted || Date.now() >= this.endsAt) {
      throw this.exceeded(what);
    }
  }

  /** The error for a query that ran out of time, naming what to narrow. */
  exceeded(
    what: string,
    narrowing = 'narrow the time range, add filters, or ask for fewer rows per page',
  ): FabricError {
    return new FabricError(
      'TIME_BUDGET_EXCEEDED',
      `${what} did not finish within the time budget of ${this.budgetMs} ms: ${narrowing}`,
    );
  }
}
