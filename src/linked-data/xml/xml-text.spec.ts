import { escapeXml } from './xml-text';

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('keeps tabs, line breaks and characters beyond the basic plane', () => {
    expect(escapeXml('a\tb\nc\rd 🌡 °C')).toBe('a\tb\nc\rd 🌡 °C');
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['vertical tab', 'a\u000Bb'],
    ['lone high surrogate', 'a\uD83Cb'],
    ['lone low surrogate', 'a\uDF21b'],
    ['U+FFFE', 'a\uFFFEb'],
  ])('replaces %s with U+FFFD', (_name, text) => {
    expect(escapeXml(text)).toBe('a\uFFFDb');
  });
});
