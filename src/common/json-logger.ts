import type { LoggerService } from '@nestjs/common';

type Level = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values never reach a log line, whatever their nesting. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|credential|private.?key/i;

/** Replace secret-looking values before a structure is logged. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redact(item, depth + 1));
  }
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    result[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(inner, depth + 1);
  }
  return result;
}

/** Remove user:password from URLs inside a message. */
export function stripCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(:[^/\s@]*)?@/gi, '$1[redacted]@');
}

/**
 * Nest logger writing one JSON object per line (or a readable line in
 * `pretty` mode). Callers pass either a message string or an object with a
 * `msg` field and ids (`sourceId`, `datasetPid`, `runId`); secrets are
 * redacted by key, and credentials inside URLs are stripped.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minimum: Level = 'info',
    private readonly format: 'json' | 'pretty' = 'json',
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: Level, message: unknown, rest: unknown[]): void {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[this.minimum]) {
      return;
    }

    // Nest passes the logger context as the last string argument.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const record: Record<string, unknown> = { time: new Date().toISOString(), level };
    if (context !== undefined) {
      record.context = context;
    }

    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      Object.assign(record, redact(message) as Record<string, unknown>);
    } else if (message instanceof Error) {
      record.msg = message.message;
    } else {
      record.msg = String(message);
    }
    const stack = rest.find((item) => typeof item === 'string' && item.includes('\n    at '));
    if (level === 'error' && typeof stack === 'string') {
      record.stack = stack;
    }

    const json = stripCredentials(JSON.stringify(record));
    if (this.format === 'json') {
      this.write(json);
      return;
    }
    const {
      time,
      level: _level,
      context: recordContext,
      msg,
      ...fields
    } = JSON.parse(json) as Record<string, unknown>;
    const extra = Object.keys(fields).length > 0 ? ' ' + JSON.stringify(fields) : '';
    const contextText = typeof recordContext === 'string' ? recordContext : '-';
    const messageText = typeof msg === 'string' ? msg : JSON.stringify(msg ?? '');
    this.write(
      `${String(time)} ${level.toUpperCase().padEnd(5)} [${contextText}] ${messageText}${extra}`,
    );
  }
}
