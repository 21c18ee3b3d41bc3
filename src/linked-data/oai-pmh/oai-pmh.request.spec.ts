import { OaiPmhError } from './oai-pmh.error';
import { parseOaiRequest } from './oai-pmh.request';
import { decodeResumptionToken, encodeResumptionToken } from './resumption-token';

function parameters(query: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    (result[name] ??= []).push(value);
  }
  return result;
}

function errorOf(query: string): { code: string; message: string } {
  try {
    parseOaiRequest(parameters(query));
  } catch (error) {
    if (error instanceof OaiPmhError) {
      return { code: error.code, message: error.message };
    }
    throw error;
  }
  throw new Error(`${query} was accepted`);
}

describe('parseOaiRequest', () => {
  it('reads a list request with both dates', () => {
    expect(
      parseOaiRequest(
        parameters(
          'verb=ListRecords&metadataPrefix=dcat&from=2025-03-01&until=2025-03-02&set=source:a',
        ),
      ),
    ).toEqual({
      verb: 'ListRecords',
      list: {
        kind: 'fresh',
        metadataPrefix: 'dcat',
        from: new Date('2025-03-01T00:00:00Z'),
        until: new Date('2025-03-02T23:59:59Z'),
        set: 'source:a',
      },
    });
  });

  it('reads a resumption token alone', () => {
    expect(parseOaiRequest(parameters('verb=ListIdentifiers&resumptionToken=abc'))).toEqual({
      verb: 'ListIdentifiers',
      list: { kind: 'resume', resumptionToken: 'abc' },
    });
  });

  it.each([
    [
      'verb=ListRecords&metadataPrefix=oai_dc&from=2025-02-30',
      'badArgument',
      'from=2025-02-30 is not a valid date',
    ],
    ['verb=GetRecord&identifier=x', 'badArgument', 'GetRecord needs the metadataPrefix argument'],
    [
      'verb=GetRecord&metadataPrefix=oai_dc&identifier=%00',
      'badArgument',
      'identifier contains a NUL character: remove it',
    ],
    ['verb=Identify&set=a', 'badArgument', 'Identify does not take set: its arguments are none'],
    [
      'verb=identify',
      'badVerb',
      '"identify" is not an OAI-PMH verb: use Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers or ListRecords',
    ],
  ])('rejects %s', (query, code, message) => {
    expect(errorOf(query)).toEqual({ code, message });
  });
});

describe('resumption tokens', () => {
  const state = {
    metadataPrefix: 'oai_dc',
    selection: { sourceKey: 'site-broker', from: new Date('2025-03-01T00:00:00Z'), until: null },
    position: {
      cursorTime: '2025-03-01T10:00:05.123456Z',
      datasetId: '0b8f5c2e-8d3c-4c3a-9b1e-3f1c2d4e5f60',
    },
    cursor: 100,
  };

  it('round-trips the state', () => {
    expect(decodeResumptionToken(encodeResumptionToken(state))).toEqual(state);
  });

  it.each(['abc', Buffer.from('{"v":2}').toString('base64url'), 'a+b'])('rejects %s', (token) => {
    expect(() => decodeResumptionToken(token)).toThrow(
      expect.objectContaining({ code: 'badResumptionToken' }),
    );
  });
});
