import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Injectable, Logger } from '@nestjs/common';

import { WeftConfigService } from '../../config/weft-config.service';
import { ontologiesDirectory } from './ontology-files';

/** The JSON-LD context every Weft document uses, in `ontologies/context/`. */
export const WEFT_CONTEXT_FILE = 'weft.jsonld';

/** A document as jsonld.js expects it from a document loader. */
export interface RemoteDocument {
  contextUrl: string | undefined;
  documentUrl: string;
  document: unknown;
}

export type DocumentLoader = (url: string) => Promise<RemoteDocument>;

/** Raised for a context URL that is not bundled: Weft never fetches contexts over the network. */
export class UnbundledContextError extends Error {
  constructor(url: string, bundled: string[]) {
    super(
      `JSON-LD context ${url} is not bundled with Weft, and Weft never fetches contexts over the network: ` +
        `use one of ${bundled.join(', ')}, or add the context file to ontologies/context/`,
    );
    this.name = 'UnbundledContextError';
  }
}

interface BundledFile {
  url: string;
  text: string;
  document: unknown;
}

/**
 * The JSON-LD contexts in `ontologies/context/`, published by this service
 * under `<base URL>/contexts/<file>` and served to jsonld.js by a document
 * loader that reads only these files. A site may be air-gapped, so a
 * document naming any other remote context is rejected instead of fetched.
 */
@Injectable()
export class BundledContexts {
  private readonly logger = new Logger(BundledContexts.name);
  private readonly byUrl = new Map<string, BundledFile>();
  private readonly byFileName = new Map<string, BundledFile>();

  /** URL of Weft's own context, the `@context` of every document the service builds. */
  readonly weftContextUrl: string;

  /** Prefixes the Weft context declares, for readable Turtle. */
  readonly prefixes: Record<string, string>;

  constructor(config: WeftConfigService) {
    const directory = path.join(ontologiesDirectory(), 'context');
    const baseUrl = config.value.baseUrl;

    for (const fileName of readdirSync(directory)
      .filter((name) => name.endsWith('.jsonld'))
      .sort()) {
      const text = readFileSync(path.join(directory, fileName), 'utf8');
      const bundled = {
        url: `${baseUrl}/contexts/${fileName}`,
        text,
        document: JSON.parse(text) as unknown,
      };
      this.byUrl.set(bundled.url, bundled);
      this.byFileName.set(fileName, bundled);
    }

    const weft = this.byFileName.get(WEFT_CONTEXT_FILE);
    if (weft === undefined) {
      throw new Error(
        `${path.join(directory, WEFT_CONTEXT_FILE)} is missing: restore it from the repository`,
      );
    }
    this.weftContextUrl = weft.url;
    this.prefixes = prefixesOf(weft.document);
    this.logger.log({
      msg: 'JSON-LD contexts loaded',
      directory,
      contexts: [...this.byFileName.keys()],
    });
  }

  /** Return the text of a bundled context file, or undefined when no such file is bundled. */
  fileText(fileName: string): string | undefined {
    return this.byFileName.get(fileName)?.text;
  }

  /** The document loader for jsonld.js: bundled contexts only, anything else is rejected. */
  readonly documentLoader: DocumentLoader = async (url: string) => {
    const bundled = this.byUrl.get(url);
    if (bundled === undefined) {
      throw new UnbundledContextError(url, [...this.byUrl.keys()]);
    }
    return { contextUrl: undefined, documentUrl: url, document: bundled.document };
  };
}

/** Collect the prefix definitions (`"dcat": "http://www.w3.org/ns/dcat#"`) of a context document. */
function prefixesOf(document: unknown): Record<string, string> {
  const context = (document as { '@context'?: Record<string, unknown> })['@context'] ?? {};
  const prefixes: Record<string, string> = {};
  for (const [term, value] of Object.entries(context)) {
    if (
      !term.startsWith('@') &&
      !term.includes(':') &&
      typeof value === 'string' &&
      /[#/]$/.test(value)
    ) {
      prefixes[term] = value;
    }
  }
  return prefixes;
}
