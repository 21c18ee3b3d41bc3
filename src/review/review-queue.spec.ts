import { decodeQueueCursor, encodeQueueCursor, missingFields } from './review-queue';

describe('missingFields', () => {
  it('lists every gap of a harvested dataset', () => {
    expect(
      missingFields({ licenceId: null, rightsHolder: null, description: null, keywords: [] }),
    ).toEqual(['licence', 'rightsHolder', 'description', 'keywords']);
  });

  it('counts blank text as missing', () => {
    expect(
      missingFields({
        licenceId: 'CC-BY-4.0',
        rightsHolder: '  ',
        description: '',
        keywords: ['energy'],
      }),
    ).toEqual(['rightsHolder', 'description']);
  });

  it('is empty for complete metadata', () => {
    expect(
      missingFields({
        licenceId: 'CC-BY-4.0',
        rightsHolder: 'Lab',
        description: 'Hall climate',
        keywords: ['climate'],
      }),
    ).toEqual([]);
  });
});

describe('queue cursor', () => {
  it('round-trips', () => {
    const cursor = {
      firstHarvestedAt: '2026-01-01T00:00:00.000Z',
      id: '0b6f3b7e-6a55-4a0e-9d67-0c3e0d3f2a11',
    };
    expect(decodeQueueCursor(encodeQueueCursor(cursor))).toEqual(cursor);
  });

  it('rejects foreign text', () => {
    expect(decodeQueueCursor('not-a-cursor')).toBeNull();
  });
});
