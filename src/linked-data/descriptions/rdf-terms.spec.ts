import { mediaTypeIri, quantityKindIri, toIri } from './rdf-terms';

describe('toIri', () => {
  it.each([
    ['mqtt://broker:1883/home/living room/temp', 'mqtt://broker:1883/home/living%20room/temp'],
    ['opc.tcp://plc:4840', 'opc.tcp://plc:4840'],
    ['http://x/a%20b', 'http://x/a%20b'],
    ['http://x/100%', 'http://x/100%25'],
    ['http://x/<a>{b}|c^`"', 'http://x/%3Ca%3E%7Bb%7D%7Cc%5E%60%22'],
    ['mqtt://broker/küche/temp', 'mqtt://broker/küche/temp'],
  ])('makes %s an IRI', (url, iri) => {
    expect(toIri(url)).toBe(iri);
  });

  it.each(['zigbee2mqtt/kitchen', '', '1abc://x'])('rejects %p without a scheme', (text) => {
    expect(toIri(text)).toBeUndefined();
  });
});

describe('mediaTypeIri', () => {
  it('names the IANA registration without parameters', () => {
    expect(mediaTypeIri('Application/JSON; charset=utf-8')).toBe(
      'https://www.iana.org/assignments/media-types/application/json',
    );
  });

  it('rejects malformed media types', () => {
    expect(mediaTypeIri('JSON')).toBeUndefined();
  });
});

describe('quantityKindIri', () => {
  it('accepts QUDT local names only', () => {
    expect(quantityKindIri('RelativeHumidity')).toBe('quantitykind:RelativeHumidity');
    expect(quantityKindIri('Relative Humidity')).toBeUndefined();
  });
});
