import { Injectable } from '@nestjs/common';

import { WeftConfigService } from '../config/weft-config.service';
import { IdentifiersService } from '../identifiers/identifiers.service';
import {
  dataThemeConcept,
  languageIri,
  publisherTypeConcept,
} from './descriptions/controlled-vocabularies';
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
    const settings = config.value;
    const catalogUrl = `${settings.baseUrl}/catalog`;
    this.facts = {
      contextUrl: contexts.weftContextUrl,
      baseUrl: settings.baseUrl,
      catalogUrl,
      catalogTitle: settings.catalogTitle,
      catalogDescription: settings.catalogDescription,
      publisherName: settings.publisherName,
      publisherId: settings.publisherUri ?? `${catalogUrl}#publisher`,
      publisherType:
        settings.publisherType === null ? null : publisherTypeConcept(settings.publisherType),
      contactPoint: {
        id: `${catalogUrl}#contact-point`,
        name: settings.publisherName,
        email: settings.contactEmail,
        url: settings.contactUrl ?? `${settings.baseUrl}/`,
      },
      language: languageIri(settings.metadataLanguage),
      themes: settings.dataThemes.map(dataThemeConcept),
      landingPageOf: (pid) => this.landingPageOf(pid),
    };
  }

  /** Return the resolver URL of an identifier, or the identifier itself when it is not one of Weft's. */
  landingPageOf(pid: string): string {
    const localId = this.identifiers.parse(pid);
    return localId === undefined ? pid : this.identifiers.resolverUrl(localId);
  }

  /** Return the resolver URL of a local id, the landing page that also serves its metadata. */
  resolverUrlOf(localId: string): string {
    return this.identifiers.resolverUrl(localId);
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
