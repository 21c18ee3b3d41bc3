/** Reasons a linked-data request fails, each with one HTTP status. */
export type LinkedDataErrorCode =
  | 'INVALID_IDENTIFIER'
  | 'INVALID_PARAMETER'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'NOT_ACCEPTABLE';

/** A client error of the linked-data endpoints, rendered as a problem document or an HTML page. */
export class LinkedDataError extends Error {
  constructor(
    readonly code: LinkedDataErrorCode,
    message: string,
    /** Response headers the error needs: `WWW-Authenticate` for 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'LinkedDataError';
  }

  get status(): number {
    return statusOf(this.code);
  }

  get title(): string {
    return titleOf(this.code);
  }
}

function statusOf(code: LinkedDataErrorCode): number {
  switch (code) {
    case 'INVALID_IDENTIFIER':
    case 'INVALID_PARAMETER':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'NOT_ACCEPTABLE':
      return 406;
  }
}

function titleOf(code: LinkedDataErrorCode): string {
  switch (code) {
    case 'INVALID_IDENTIFIER':
      return 'Invalid identifier';
    case 'INVALID_PARAMETER':
      return 'Invalid parameter';
    case 'UNAUTHENTICATED':
      return 'Unauthorized';
    case 'FORBIDDEN':
      return 'Forbidden';
    case 'NOT_FOUND':
      return 'Not found';
    case 'NOT_ACCEPTABLE':
      return 'Not acceptable';
  }
}
