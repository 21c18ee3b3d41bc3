import { negotiate, parseAccept } from './media-type-negotiation';

const OFFERED = ['text/html', 'application/ld+json', 'text/turtle'] as const;

describe('negotiate', () => {
  it.each([
    [undefined, 'text/html'],
    ['', 'text/html'],
    ['*/*', 'text/html'],
    ['text/turtle', 'text/turtle'],
    ['TEXT/Turtle', 'text/turtle'],
    ['application/ld+json;q=0.5, text/turtle;q=0.6', 'text/turtle'],
    ['application/ld+json, text/turtle', 'application/ld+json'],
    ['text/*, application/ld+json;q=0.9', 'text/html'],
    ['text/*;q=0.3, text/turtle;q=0.5, */*;q=0.4', 'text/turtle'],
    ['text/html;q=0, */*;q=0.1', 'application/ld+json'],
    [
      'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded";q=0.8',
      'application/ld+json',
    ],
    ['text/turtle;q=1.5, application/ld+json;q=0.2', 'application/ld+json'],
  ])('picks from Accept %p: %s', (header, expected) => {
    expect(negotiate(header, OFFERED)).toBe(expected);
  });

  it.each([
    'application/xml',
    'text/html;q=0, application/ld+json;q=0, text/turtle;q=0',
    'image/*',
  ])('finds nothing acceptable in %s', (header) => {
    expect(negotiate(header, OFFERED)).toBeUndefined();
  });
});

describe('parseAccept', () => {
  it('skips malformed ranges and weights', () => {
    expect(parseAccept('text, */html, text/plain;q=abc, text/turtle;q=0.25')).toEqual([
      { type: 'text', subtype: 'turtle', weight: 0.25 },
    ]);
  });
});
