import { DataFactory } from 'n3';

import { RdfXmlError, writeRdfXml } from './rdf-xml.writer';

const { blankNode, literal, namedNode, quad } = DataFactory;

const PREFIXES = { dct: 'http://purl.org/dc/terms/', dcat: 'http://www.w3.org/ns/dcat#' };
const DATASET = namedNode('https://w3id.org/site/abc');

describe('writeRdfXml', () => {
  it('writes IRIs, blank nodes and typed, tagged and plain literals', () => {
    const place = blankNode('b0');
    const xml = writeRdfXml(
      [
        quad(
          DATASET,
          namedNode('http://purl.org/dc/terms/title'),
          literal('Kitchen & "climate" <1>'),
        ),
        quad(DATASET, namedNode('http://purl.org/dc/terms/spatial'), place),
        quad(
          DATASET,
          namedNode('http://purl.org/dc/terms/issued'),
          literal(
            '2025-03-01T10:00:05.000Z',
            namedNode('http://www.w3.org/2001/XMLSchema#dateTime'),
          ),
        ),
        quad(
          DATASET,
          namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'),
          namedNode('http://www.w3.org/ns/dcat#Dataset'),
        ),
        quad(
          place,
          namedNode('http://www.w3.org/2000/01/rdf-schema#label'),
          literal('Küche', 'de'),
        ),
      ],
      PREFIXES,
    );

    expect(xml).toBe(
      [
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/" xmlns:ns1="http://www.w3.org/2000/01/rdf-schema#">',
        '  <rdf:Description rdf:about="https://w3id.org/site/abc">',
        '    <dct:title>Kitchen &amp; &quot;climate&quot; &lt;1&gt;</dct:title>',
        '    <dct:spatial rdf:nodeID="b0"/>',
        '    <dct:issued rdf:datatype="http://www.w3.org/2001/XMLSchema#dateTime">2025-03-01T10:00:05.000Z</dct:issued>',
        '    <rdf:type rdf:resource="http://www.w3.org/ns/dcat#Dataset"/>',
        '  </rdf:Description>',
        '  <rdf:Description rdf:nodeID="b0">',
        '    <ns1:label xml:lang="de">Küche</ns1:label>',
        '  </rdf:Description>',
        '</rdf:RDF>',
      ].join('\n'),
    );
  });

  it('replaces characters XML cannot carry', () => {
    const xml = writeRdfXml(
      [quad(DATASET, namedNode('http://purl.org/dc/terms/title'), literal('a\u0000b'))],
      PREFIXES,
    );

    expect(xml).toContain('<dct:title>a\uFFFDb</dct:title>');
  });

  it('rejects a predicate without an XML local name', () => {
    expect(() =>
      writeRdfXml([quad(DATASET, namedNode('http://example.org/terms/1'), literal('x'))], PREFIXES),
    ).toThrow(RdfXmlError);
  });
});
