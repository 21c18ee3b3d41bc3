/** Why saving or re-executing a derived dataset failed; resolvers map the code to GraphQL. */
export class DerivedDatasetError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'DerivedDatasetError';
  }
}
