/**
 * Bounds on asynchronous steps, so a silent server or a cancelled run can
 * never leave a harvest waiting.
 */

/** Raised when a step outlives its deadline. */
export class OpcuaTimeoutError extends Error {
  override readonly name = 'OpcuaTimeoutError';
}

/** Raised when the run's AbortSignal fires during a step. */
export class OpcuaAbortError extends Error {
  override readonly name = 'OpcuaAbortError';
}

/**
 * Settle with `promise`, or reject after `timeoutMs` or when `signal`
 * aborts. The losing promise keeps running; its rejection is swallowed so
 * it cannot surface as an unhandled rejection.
 */
export async function withDeadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  step: string,
  signal?: AbortSignal,
): Promise<T> {
  promise.catch(() => undefined);

  if (signal?.aborted === true) {
    throw new OpcuaAbortError(`${step} was aborted`);
  }

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;

  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new OpcuaTimeoutError(`${step} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    onAbort = () => reject(new OpcuaAbortError(`${step} was aborted`));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Wait `ms` milliseconds, or reject early when `signal` aborts. */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(new OpcuaAbortError('retry delay was aborted'));
      return;
    }

    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new OpcuaAbortError('retry delay was aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
