/**
 * Escape text for XML character data and attribute values. Characters XML
 * 1.0 does not allow anywhere (section 2.2: controls other than tab, line
 * feed and carriage return, lone surrogates, U+FFFE and U+FFFF) become
 * U+FFFD, the replacement character, because no escape can represent them.
 */
export function escapeXml(text: string): string {
  let escaped = '';
  for (const character of text) {
    escaped += escapeCharacter(character);
  }
  return escaped;
}

function escapeCharacter(character: string): string {
  switch (character) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case "'":
      return '&apos;';
    default:
      return isXmlCharacter(character.codePointAt(0) ?? 0) ? character : '\uFFFD';
  }
}

/** Say whether XML 1.0 allows a code point (the Char production, section 2.2). */
function isXmlCharacter(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** The XML declaration every document Weft writes starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
