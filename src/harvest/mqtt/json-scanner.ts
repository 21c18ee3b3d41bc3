import { appendArrayItem, appendKey, ROOT_PATH } from './property-path';

/**
 * A validating JSON scanner that reports the leaves of a document with their
 * paths, without building the document. It exists beside `JSON.parse` for
 * three reasons. It keeps the lexical form of numbers: `3.0` stays a float,
 * which `JSON.parse` turns into the integer 3. It walks with an explicit
 * stack, so no nesting depth can overflow the call stack. And it stops
 * recording below a depth limit while it goes on validating.
 *
 * The grammar is RFC 8259. With `allowNonFinite` it also accepts the bare
 * tokens `NaN`, `Infinity` and `-Infinity` as values, which Python's
 * `json.dumps` writes for non-finite floats.
 */

export type JsonLeafKind =
  'integer' | 'float' | 'non-finite' | 'string' | 'boolean' | 'null' | 'container';

export interface JsonLeafSink {
  /**
   * Receive one leaf. `text` is the number's literal, the decoded string,
   * `true`/`false`/`null`, the non-finite token, or `{}`/`[]` for an empty
   * container. A container cut by the depth limit arrives as `container`
   * with an empty text.
   */
  leaf(path: string, kind: JsonLeafKind, text: string): void;
}

export interface JsonScanOptions {
  /** Containers nested deeper than this are reported as one `container` leaf and not descended into. */
  maxDepth: number;
  /** Keys longer than this are cut in paths. */
  maxKeyLength: number;
  allowNonFinite: boolean;
}

export type JsonRootKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonScanResult {
  valid: boolean;
  root?: JsonRootKind;
  /** How many containers were cut by the depth limit. */
  depthLimitHits: number;
  /** Whether a bare NaN or Infinity token was accepted. */
  nonFinite: boolean;
}

interface Frame {
  isObject: boolean;
  path: string;
  /** Inside a container cut by the depth limit: validate, but report nothing. */
  muted: boolean;
}

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_ZERO = 0x30;
const DIGIT_ONE = 0x31;
const DIGIT_NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_E = 0x65;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const SIMPLE_ESCAPES = new Set(
  ['"', '\\', '/', 'b', 'f', 'n', 'r', 't'].map((c) => c.charCodeAt(0)),
);
const LOWER_U = 0x75;

const IGNORE_LEAVES: JsonLeafSink = { leaf: () => undefined };

/** Scan `text` as one JSON document, reporting its leaves to `sink` (when given) as it goes. */
export function scanJson(
  text: string,
  options: JsonScanOptions,
  sink: JsonLeafSink = IGNORE_LEAVES,
): JsonScanResult {
  const scanner = new Scanner(text, options, sink);
  return scanner.run();
}

class Scanner {
  private position = 0;
  private depthLimitHits = 0;
  private nonFinite = false;
  private readonly stack: Frame[] = [];

  constructor(
    private readonly text: string,
    private readonly options: JsonScanOptions,
    private readonly sink: JsonLeafSink,
  ) {}

  run(): JsonScanResult {
    const root = this.rootKind();
    const valid = root !== undefined && this.scanDocument();
    return {
      valid,
      root: valid ? root : undefined,
      depthLimitHits: this.depthLimitHits,
      nonFinite: this.nonFinite,
    };
  }

  private rootKind(): JsonRootKind | undefined {
    this.skipWhitespace();
    const code = this.text.charCodeAt(this.position);
    switch (code) {
      case OPEN_BRACE:
        return 'object';
      case OPEN_BRACKET:
        return 'array';
      case QUOTE:
        return 'string';
      case 0x74: // t
      case 0x66: // f
        return 'boolean';
      case 0x6e: // n
        return 'null';
      default:
        return code === MINUS ||
          (code >= DIGIT_ZERO && code <= DIGIT_NINE) ||
          code === 0x4e ||
          code === 0x49
          ? 'number'
          : undefined;
    }
  }

  /**
   * The main loop alternates between reading a value at `path` and deciding,
   * after a value, whether its container continues, closes or the document ends.
   */
  private scanDocument(): boolean {
    let path = ROOT_PATH;
    let muted = false;

    for (;;) {
      this.skipWhitespace();
      const code = this.text.charCodeAt(this.position);

      if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        const next = this.openContainer(code === OPEN_BRACE, path, muted);
        if (next === undefined) {
          return false;
        }
        if (next !== null) {
          path = next.path;
          muted = next.muted;
          continue;
        }
      } else if (!this.scanScalar(path, muted)) {
        return false;
      }

      const after = this.afterValue();
      if (after === undefined) {
        return false;
      }
      if (after === null) {
        return true;
      }
      path = after.path;
      muted = after.muted;
    }
  }

  /**
   * Open an object or array whose first character is at the current
   * position. Returns the path of its first value, null when the container
   * was empty (and so is already closed), or undefined when the text is invalid.
   */
  private openContainer(
    isObject: boolean,
    path: string,
    muted: boolean,
  ): { path: string; muted: boolean } | null | undefined {
    this.position += 1;
    const depth = this.stack.length + 1;
    let frameMuted = muted;
    if (!muted && depth > this.options.maxDepth) {
      frameMuted = true;
      this.depthLimitHits += 1;
      this.sink.leaf(path, 'container', '');
    }

    this.skipWhitespace();
    const closing = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
    if (this.text.charCodeAt(this.position) === closing) {
      this.position += 1;
      if (!frameMuted) {
        this.sink.leaf(path, 'container', isObject ? '{}' : '[]');
      }
      return null;
    }

    this.stack.push({ isObject, path, muted: frameMuted });
    return this.firstValuePath();
  }

  private firstValuePath(): { path: string; muted: boolean } | undefined {
    const frame = this.stack[this.stack.length - 1];
    if (!frame.isObject) {
      return { path: frame.muted ? '' : appendArrayItem(frame.path), muted: frame.muted };
    }
    const key = this.scanKey();
    if (key === undefined) {
      return undefined;
    }
    return {
      path: frame.muted ? '' : appendKey(frame.path, key, this.options.maxKeyLength),
      muted: frame.muted,
    };
  }

  /**
   * After a value: returns the path of the next value in the enclosing
   * container, null at a valid end of the document, or undefined when the text is invalid.
   */
  private afterValue(): { path: string; muted: boolean } | null | undefined {
    for (;;) {
      this.skipWhitespace();
      const frame = this.stack[this.stack.length - 1];
      if (frame === undefined) {
        return this.position === this.text.length ? null : undefined;
      }

      const code = this.text.charCodeAt(this.position);
      if (code === COMMA) {
        this.position += 1;
        this.skipWhitespace();
        return this.firstValuePath();
      }
      if (code !== (frame.isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        return undefined;
      }
      this.position += 1;
      this.stack.pop();
    }
  }

  /** Read `"key"` and the colon after it; returns the decoded key. */
  private scanKey(): string | undefined {
    if (this.text.charCodeAt(this.position) !== QUOTE) {
      return undefined;
    }
    const key = this.scanString();
    if (key === undefined) {
      return undefined;
    }
    this.skipWhitespace();
    if (this.text.charCodeAt(this.position) !== COLON) {
      return undefined;
    }
    this.position += 1;
    return key;
  }

  private scanScalar(path: string, muted: boolean): boolean {
    const code = this.text.charCodeAt(this.position);

    if (code === QUOTE) {
      const value = this.scanString();
      if (value === undefined) {
        return false;
      }
      this.report(path, muted, 'string', value);
      return true;
    }
    if (code === MINUS || (code >= DIGIT_ZERO && code <= DIGIT_NINE)) {
      return this.scanNumber(path, muted);
    }
    for (const [word, kind] of LITERALS) {
      if (this.text.startsWith(word, this.position)) {
        if (kind === 'non-finite' && !this.options.allowNonFinite) {
          return false;
        }
        this.position += word.length;
        this.nonFinite ||= kind === 'non-finite';
        this.report(path, muted, kind, word);
        return true;
      }
    }
    return false;
  }

  private scanNumber(path: string, muted: boolean): boolean {
    const text = this.text;
    const start = this.position;
    let position = start;
    let isFloat = false;

    if (text.charCodeAt(position) === MINUS) {
      position += 1;
      if (this.options.allowNonFinite && text.startsWith('Infinity', position)) {
        this.position = position + 'Infinity'.length;
        this.nonFinite = true;
        this.report(path, muted, 'non-finite', '-Infinity');
        return true;
      }
    }

    const first = text.charCodeAt(position);
    if (first === DIGIT_ZERO) {
      position += 1;
    } else if (first >= DIGIT_ONE && first <= DIGIT_NINE) {
      position = skipDigits(text, position);
    } else {
      return false;
    }

    if (text.charCodeAt(position) === DOT) {
      const fractionStart = position + 1;
      position = skipDigits(text, fractionStart);
      if (position === fractionStart) {
        return false;
      }
      isFloat = true;
    }

    const exponent = text.charCodeAt(position);
    if (exponent === LOWER_E || exponent === UPPER_E) {
      position += 1;
      const sign = text.charCodeAt(position);
      if (sign === PLUS || sign === MINUS) {
        position += 1;
      }
      const digitsStart = position;
      position = skipDigits(text, digitsStart);
      if (position === digitsStart) {
        return false;
      }
      isFloat = true;
    }

    this.position = position;
    this.report(path, muted, isFloat ? 'float' : 'integer', text.slice(start, position));
    return true;
  }

  /** Read a string starting at the opening quote; returns its decoded value. */
  private scanString(): string | undefined {
    const text = this.text;
    const start = this.position;
    let position = start + 1;
    let escaped = false;

    for (;;) {
      if (position >= text.length) {
        return undefined;
      }
      const code = text.charCodeAt(position);
      if (code === QUOTE) {
        break;
      }
      if (code < SPACE) {
        return undefined;
      }
      if (code === BACKSLASH) {
        const next = text.charCodeAt(position + 1);
        if (SIMPLE_ESCAPES.has(next)) {
          position += 2;
        } else if (next === LOWER_U && isHex4(text, position + 2)) {
          position += 6;
        } else {
          return undefined;
        }
        escaped = true;
        continue;
      }
      position += 1;
    }

    this.position = position + 1;
    if (!escaped) {
      return text.slice(start + 1, position);
    }
    // The escapes were validated above, so JSON.parse decodes this slice without throwing.
    return JSON.parse(text.slice(start, position + 1)) as string;
  }

  private report(path: string, muted: boolean, kind: JsonLeafKind, text: string): void {
    if (!muted) {
      this.sink.leaf(path, kind, text);
    }
  }

  private skipWhitespace(): void {
    const text = this.text;
    let position = this.position;
    for (;;) {
      const code = text.charCodeAt(position);
      if (code !== SPACE && code !== LINE_FEED && code !== CARRIAGE_RETURN && code !== TAB) {
        break;
      }
      position += 1;
    }
    this.position = position;
  }
}

const LITERALS: ReadonlyArray<readonly [string, JsonLeafKind]> = [
  ['true', 'boolean'],
  ['false', 'boolean'],
  ['null', 'null'],
  ['NaN', 'non-finite'],
  ['Infinity', 'non-finite'],
];

function skipDigits(text: string, from: number): number {
  let position = from;
  for (;;) {
    // charCodeAt returns NaN past the end, which fails this test and ends the loop.
    const code = text.charCodeAt(position);
    if (!(code >= DIGIT_ZERO && code <= DIGIT_NINE)) {
      return position;
    }
    position += 1;
  }
}

function isHex4(text: string, from: number): boolean {
  for (let offset = 0; offset < 4; offset += 1) {
    const code = text.charCodeAt(from + offset);
    const isDigit = code >= DIGIT_ZERO && code <= DIGIT_NINE;
    const isLetter = (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
    if (!isDigit && !isLetter) {
      return false;
    }
  }
  return true;
}
