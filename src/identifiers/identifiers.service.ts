import { randomInt } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { asJson } from '../common/json';
import { WeftConfigService } from '../config/weft-config.service';
import { IdentifierEntity } from './identifier.entity';
import type { IdentifiedEntityType } from './identifier.entity';
import { BETANUMERIC, hasValidCheckCharacter, ncdaCheckCharacter } from './noid-check';

/** Random characters in a local identifier before its check character: 29^9 ≈ 1.4e13 possibilities. */
const BLADE_LENGTH = 9;

/**
 * Mints, parses and withdraws persistent identifiers. Identifiers are random
 * (so they reveal neither order nor count), carry an NCDA check character,
 * and are recorded in the identifier registry before the thing they name is
 * written, in the same transaction.
 */
@Injectable()
export class IdentifiersService {
  private readonly logger = new Logger(IdentifiersService.name);

  constructor(private readonly config: WeftConfigService) {}

  /** Mint a new identifier for an entity; retries on the (rare) collision with an existing one. */
  async mint(
    manager: EntityManager,
    entityType: IdentifiedEntityType,
    entityId: string,
  ): Promise<string> {
    const repository = manager.getRepository(IdentifierEntity);

    for (let attempt = 0; attempt < 5; attempt++) {
      const localId = this.randomLocalId();
      const result = await repository
        .createQueryBuilder()
        .insert()
        .values({ localId, entityType, entityId, withdrawnAt: null, tombstone: null })
        .orIgnore()
        .returning(['local_id'])
        .execute();
      if (result.raw instanceof Array && result.raw.length === 1) {
        return this.toPid(localId);
      }
      this.logger.warn({ msg: 'identifier collision, minting another', localId, entityType });
    }
    throw new Error(
      `could not mint a unique identifier for ${entityType} ${entityId} after 5 attempts`,
    );
  }

  /** The full identifier (a URI) for a local id. */
  toPid(localId: string): string {
    return `${this.config.value.pidBase}${localId}`;
  }

  /** The URL that resolves an identifier through this service. */
  resolverUrl(localId: string): string {
    return `${this.config.value.baseUrl}/id/${localId}`;
  }

  /**
   * Extract the local id from a full identifier, a resolver URL or a bare
   * local id. Returns undefined when the text is not one of Weft's
   * identifiers or its check character is wrong (a mistyped identifier).
   */
  parse(text: string): string | undefined {
    const trimmed = text.trim();
    let localId = trimmed;
    const base = this.config.value.pidBase;
    const resolverBase = `${this.config.value.baseUrl}/id/`;
    if (trimmed.startsWith(base)) {
      localId = trimmed.slice(base.length);
    } else if (trimmed.startsWith(resolverBase)) {
      localId = trimmed.slice(resolverBase.length);
    }
    localId = localId.replace(/[?#].*$/, '');
    if (!isWellFormedLocalId(localId)) {
      return undefined;
    }
    return localId;
  }

  /** Mark an identifier as withdrawn, keeping a tombstone that says what it named. */
  async withdraw(
    manager: EntityManager,
    entityType: IdentifiedEntityType,
    entityId: string,
    tombstone: Record<string, unknown>,
  ): Promise<void> {
    await manager
      .getRepository(IdentifierEntity)
      .update({ entityType, entityId }, { withdrawnAt: new Date(), tombstone: asJson(tombstone) });
  }

  /** Clear a withdrawal when the thing comes back (a topic that reappears keeps its identifier). */
  async restore(
    manager: EntityManager,
    entityType: IdentifiedEntityType,
    entityId: string,
  ): Promise<void> {
    await manager
      .getRepository(IdentifierEntity)
      .update({ entityType, entityId }, { withdrawnAt: null, tombstone: null });
  }

  /**
   * Draw a random local id with its check character. It is not reserved:
   * the caller inserts it into the registry and draws again on a conflict.
   */
  randomLocalId(): string {
    let blade = '';
    for (let index = 0; index < BLADE_LENGTH; index++) {
      blade += BETANUMERIC[randomInt(BETANUMERIC.length)];
    }
    return blade + ncdaCheckCharacter(blade);
  }
}

/** True for a local id of Weft's shape whose check character is right. */
export function isWellFormedLocalId(localId: string): boolean {
  return (
    localId.length === BLADE_LENGTH + 1 &&
    [...localId].every((character) => BETANUMERIC.includes(character)) &&
    hasValidCheckCharacter(localId)
  );
}
