import type { DatasetEntity } from '../catalog/entities/dataset.entity';
import type { IdentifiersService } from '../identifiers/identifiers.service';
import { UserInputError } from './graphql-errors';
import { toDataset } from './mappers';
import type { Dataset } from './types/catalog.types';

/**
 * Turns an identifier argument (a local id or a full identifier URL) into
 * its persistent identifier. Raises UserInputError naming the argument when
 * it is not a Weft identifier. The argument is echoed up to 80 characters.
 */
export function pidArgument(identifiers: IdentifiersService, id: string): string {
  const localId = identifiers.parse(id);
  if (localId === undefined) {
    throw new UserInputError(
      `"${id.slice(0, 80)}" is not a Weft identifier: check it for typing errors (its last character is a check character)`,
    );
  }
  return identifiers.toPid(localId);
}

/** Maps a dataset row to its GraphQL type, with its landing page under this site's resolver. */
export function datasetOf(identifiers: IdentifiersService, entity: DatasetEntity): Dataset {
  const localId = identifiers.parse(entity.pid) ?? entity.pid;
  return toDataset(entity, identifiers.resolverUrl(localId));
}
