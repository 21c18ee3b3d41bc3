import {
  formatUriNodeId,
  parseIndexedNodeId,
  parseIndexedQualifiedName,
  parseUriNodeId,
  resolveIndexedNodeId,
} from './opcua-node-id';

describe('opcua-node-id', () => {
  it('formats every identifier type with nsu', () => {
    expect(formatUriNodeId({ namespaceUri: 'urn:a', identifierType: 'i', identifier: '7' })).toBe(
      'nsu=urn:a;i=7',
    );
    expect(
      formatUriNodeId({ namespaceUri: 'urn:a', identifierType: 's', identifier: 'Line 1;x' }),
    ).toBe('nsu=urn:a;s=Line 1;x');
  });

  it('parses indexed NodeIds', () => {
    expect(parseIndexedNodeId('ns=1;i=1012')).toEqual({
      namespaceIndex: 1,
      identifierType: 'i',
      identifier: '1012',
    });
    expect(parseIndexedNodeId('i=68')).toEqual({
      namespaceIndex: 0,
      identifierType: 'i',
      identifier: '68',
    });
    expect(parseIndexedNodeId('ns=2;s=a;b')).toEqual({
      namespaceIndex: 2,
      identifierType: 's',
      identifier: 'a;b',
    });
    expect(parseIndexedNodeId('ns=3;g=09087e75-8e5e-499b-954f-f2a9603db28a')).toEqual({
      namespaceIndex: 3,
      identifierType: 'g',
      identifier: '09087E75-8E5E-499B-954F-F2A9603DB28A',
    });
    expect(parseIndexedNodeId('ns=1;b=AAEC')).toEqual({
      namespaceIndex: 1,
      identifierType: 'b',
      identifier: 'AAEC',
    });
  });

  it('rejects malformed NodeIds', () => {
    expect(parseIndexedNodeId('ns=1;i=12x')).toBeUndefined();
    expect(parseIndexedNodeId('ns=1;g=not-a-guid')).toBeUndefined();
    expect(parseIndexedNodeId('HasProperty')).toBeUndefined();
    expect(parseIndexedNodeId('i=4294967296')).toBeUndefined();
  });

  it('round-trips the nsu form', () => {
    const text = 'nsu=http://opcfoundation.org/UA/DI/;s=Device;1';
    const parsed = parseUriNodeId(text);

    expect(parsed).toEqual({
      namespaceUri: 'http://opcfoundation.org/UA/DI/',
      identifierType: 's',
      identifier: 'Device;1',
    });
    expect(formatUriNodeId(parsed!)).toBe(text);
  });

  it('resolves an index through the namespace table', () => {
    const table = ['http://opcfoundation.org/UA/', 'urn:a'];

    expect(
      resolveIndexedNodeId({ namespaceIndex: 1, identifierType: 'i', identifier: '5' }, table),
    ).toEqual({
      namespaceUri: 'urn:a',
      identifierType: 'i',
      identifier: '5',
    });
    expect(
      resolveIndexedNodeId({ namespaceIndex: 2, identifierType: 'i', identifier: '5' }, table),
    ).toBeUndefined();
  });

  it('parses BrowseNames with and without prefix', () => {
    expect(parseIndexedQualifiedName('2:ProductInstanceUri')).toEqual({
      namespaceIndex: 2,
      name: 'ProductInstanceUri',
    });
    expect(parseIndexedQualifiedName('DefaultInstanceBrowseName')).toEqual({
      namespaceIndex: 0,
      name: 'DefaultInstanceBrowseName',
    });
  });
});
