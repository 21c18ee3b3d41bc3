import { Injectable } from '@nestjs/common';

import { WeftConfigService } from '../config/weft-config.service';
import { IdentifiersService } from '../identifiers/identifiers.service';
import type { SiteFacts } from './descriptions/site-facts';
import type { Alternates } from './html/page-layout';
import { BundledContexts } from './json-ld/bundled-contexts.service';

/** The site facts every description needs, built once from the configuration. */
@Injectable()
export class LinkedDataSite {
  readonly facts: SiteFacts;

  constructor(
    config: WeftConfigService,
    contexts: BundledContexts,
    private readonly identifiers: IdentifiersService,
  ) {
    const { baseUrl, catalogTitle, publisherName } = config.value;
    const catalogUrl = `${baseUrl}/catalog`;
    this.facts = {
      contextUrl: contexts.weftContextUrl,
      baseUrl,
      catalogUrl,
      catalogTitle,
      publisherName,
      publisherId: `${catalogUrl}#publisher`,
      landingPageOf: (pid) => this.landingPageOf(pid),
    };
  }

  /** Return the resolver URL of an identifier, or the identifier itself when it is not one of Weft's. */
  landingPageOf(pid: string): string {
    const localId = this.identifiers.parse(pid);
    return localId === undefined ? pid : this.identifiers.resolverUrl(localId);
  }

  /** Return the full identifier of a local id. */
  pidOf(localId: string): string {
    return this.identifiers.toPid(localId);
  }

  /** Links to the machine-readable variants of a resolver URL. */
  alternatesOf(localId: string): Alternates {
    const url = this.identifiers.resolverUrl(localId);
    return {
      jsonLd: `${url}?format=jsonld`,
      turtle: `${url}?format=ttl`,
      nTriples: `${url}?format=nt`,
    };
  }
}
