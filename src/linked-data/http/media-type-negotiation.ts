/** One media range of an Accept header with its weight. */
interface MediaRange {
  type: string;
  subtype: string;
  /** Weight from 0 to 1 (the `q` parameter, default 1). */
  weight: number;
}

/**
 * Parse an Accept header (RFC 9110, section 12.5.1). Malformed ranges and
 * weights are skipped rather than rejected, as browsers and proxies send odd
 * headers. Parameters other than `q` are ignored when matching, so
 * `application/ld+json;profile="…"` still selects JSON-LD.
 */
export function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [mediaRange, ...parameters] = part.split(';').map((piece) => piece.trim());
    const match = /^([a-z0-9!#$%&'*+.^_`|~-]+)\/([a-z0-9!#$%&'*+.^_`|~-]+)$/i.exec(
      mediaRange ?? '',
    );
    if (match === null) {
      continue;
    }
    const type = match[1].toLowerCase();
    const subtype = match[2].toLowerCase();
    if (type === '*' && subtype !== '*') {
      continue;
    }
    const weight = weightOf(parameters);
    if (weight !== undefined) {
      ranges.push({ type, subtype, weight });
    }
  }
  return ranges;
}

function weightOf(parameters: string[]): number | undefined {
  const q = parameters.find((parameter) => /^q\s*=/i.test(parameter));
  if (q === undefined) {
    return 1;
  }
  const value = q.replace(/^q\s*=\s*/i, '');
  // RFC 9110, section 12.4.2: a weight is 0 to 1 with at most three decimals.
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/** 2 for an exact `type/subtype`, 1 for `type/*`, 0 for `*\/*`, -1 when the range does not match. */
function specificity(range: MediaRange, type: string, subtype: string): number {
  if (range.type === type && range.subtype === subtype) return 2;
  if (range.type === type && range.subtype === '*') return 1;
  if (range.type === '*') return 0;
  return -1;
}

/**
 * Choose the offered media type the client prefers. The most specific
 * matching range sets each offer's weight, so `text/*;q=0.2, text/turtle`
 * gives Turtle 1 and HTML 0.2; a weight of 0 means "not acceptable". Ties go
 * to the earlier offer. A missing or empty header accepts anything, so the
 * first offer wins. Returns undefined when nothing offered is acceptable.
 */
export function negotiate<T extends string>(
  header: string | undefined,
  offered: readonly T[],
): T | undefined {
  if (header === undefined || header.trim() === '') {
    return offered[0];
  }
  const ranges = parseAccept(header);
  let best: T | undefined;
  let bestWeight = 0;

  for (const offer of offered) {
    const [type, subtype] = offer.split('/') as [string, string];
    let weight = 0;
    let bestSpecificity = -1;
    for (const range of ranges) {
      const rank = specificity(range, type, subtype);
      if (
        rank > bestSpecificity ||
        (rank === bestSpecificity && rank >= 0 && range.weight > weight)
      ) {
        bestSpecificity = rank;
        weight = range.weight;
      }
    }
    if (bestSpecificity >= 0 && weight > bestWeight) {
      best = offer;
      bestWeight = weight;
    }
  }
  return best;
}
