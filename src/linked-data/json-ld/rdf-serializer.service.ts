import { Injectable } from '@nestjs/common';
import * as jsonld from 'jsonld';
import { Parser, Writer } from 'n3';
import type { Quad } from 'n3';

import { BundledContexts } from './bundled-contexts.service';

/** RDF syntaxes Weft writes besides JSON-LD. */
export type RdfSyntax = 'turtle' | 'n-triples';

/**
 * Turns Weft's JSON-LD documents into RDF: jsonld.js expands them with the
 * bundled contexts only and produces N-Quads, and the n3 library writes
 * Turtle or N-Triples from those quads.
 */
@Injectable()
export class RdfSerializer {
  constructor(private readonly contexts: BundledContexts) {}

  /**
   * Convert a JSON-LD document to triples, sorted so equal documents give
   * equal output. With `safe`, jsonld.js rejects anything it would otherwise drop
   * silently, such as a term the context does not define or a relative IRI.
   */
  async toQuads(document: object, options: { safe: boolean } = { safe: false }): Promise<Quad[]> {
    const nquads = await this.toNQuads(document, options.safe);
    // An empty prefix keeps jsonld.js's blank node labels, so equal documents give equal Turtle (and ETags).
    const quads = new Parser({ format: 'N-Quads', blankNodePrefix: '' }).parse(nquads);
    return quads.sort(compareQuads);
  }

  async serialize(document: object, syntax: RdfSyntax): Promise<string> {
    const quads = await this.toQuads(document);
    switch (syntax) {
      case 'turtle':
        return write(quads, new Writer({ format: 'Turtle', prefixes: this.contexts.prefixes }));
      case 'n-triples':
        return write(quads, new Writer({ format: 'N-Triples' }));
    }
  }

  private async toNQuads(document: object, safe: boolean): Promise<string> {
    // @types/jsonld lags jsonld 9: it lacks `safe` and types the loader with a callback.
    const options = {
      format: 'application/n-quads',
      documentLoader: this.contexts.documentLoader,
      safe,
    } as unknown as jsonld.Options.ToRdf;
    const result = await jsonld.toRDF(document, options);
    if (typeof result !== 'string') {
      throw new Error('jsonld.toRDF returned a dataset object although N-Quads text was requested');
    }
    return result;
  }
}

function write(quads: Quad[], writer: Writer): Promise<string> {
  writer.addQuads(quads);
  return new Promise((resolve, reject) => {
    writer.end((error: Error | null, result: string) => {
      if (error !== null && error !== undefined) {
        reject(error);
        return;
      }
      resolve(result);
    });
  });
}

function compareQuads(left: Quad, right: Quad): number {
  return (
    compareText(termKey(left.subject), termKey(right.subject)) ||
    compareText(left.predicate.value, right.predicate.value) ||
    compareText(termKey(left.object), termKey(right.object))
  );
}

function termKey(term: Quad['subject'] | Quad['object']): string {
  if (term.termType === 'Literal') {
    return `2${term.value}\u0000${term.datatype.value}\u0000${term.language}`;
  }
  // Named nodes first, then blank nodes, then literals.
  return `${term.termType === 'NamedNode' ? '0' : '1'}${term.value}`;
}

function compareText(left: string, right: string): number {
  if (left < right) return -1;
  if (left > right) return 1;
  return 0;
}
