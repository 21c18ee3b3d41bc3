/** The error codes of OAI-PMH 2.0, section 3.6. */
export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

/**
 * An OAI-PMH error condition. It is answered inside a normal 200 response
 * as an `<error code="...">` element, as the protocol requires, not as an
 * HTTP error.
 */
export class OaiPmhError extends Error {
  constructor(
    readonly code: OaiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'OaiPmhError';
  }

  /** Say whether the request element of the response must leave out the arguments (section 3.2, badVerb and badArgument). */
  get hidesArguments(): boolean {
    return this.code === 'badVerb' || this.code === 'badArgument';
  }
}
