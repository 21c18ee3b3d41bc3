import { ConfigError } from '../config/weft-config';

/** Budgets of fabric queries; a request may lower them but never raise them. */
export interface FabricSettings {
  /** Most rows one request returns, join points included. */
  maxRows: number;
  /** Rows per page when the request gives no `limit`. */
  defaultPageRows: number;
  /** Longest a request may wait for its sources, in milliseconds. */
  timeoutMs: number;
  /** Most parent rows per page of a join. */
  maxJoinRows: number;
}

/** The fabric's settings with their descriptions, in the shape of the service's SETTINGS list. */
export const FABRIC_SETTINGS: ReadonlyArray<{
  name: string;
  description: string;
  default: string;
}> = [
  {
    name: 'WEFT_FABRIC_MAX_ROWS',
    description:
      'Row budget of one data query: the most rows (join points included) a GraphQL request may return.',
    default: '100000',
  },
  {
    name: 'WEFT_FABRIC_PAGE_ROWS',
    description: 'Rows per page of observations and rows when the query gives no limit.',
    default: '1000',
  },
  {
    name: 'WEFT_FABRIC_TIMEOUT_MS',
    description: 'Time budget of one data query in milliseconds, enforced at the source.',
    default: '30000',
  },
  {
    name: 'WEFT_FABRIC_MAX_JOIN_ROWS',
    description: 'Most table rows per page of a join between a table and a time series.',
    default: '500',
  },
];

export const DEFAULT_FABRIC_SETTINGS: FabricSettings = {
  maxRows: 100_000,
  defaultPageRows: 1000,
  timeoutMs: 30_000,
  maxJoinRows: 500,
};

/** Read and validate the fabric settings; throws ConfigError listing each invalid one. */
export function loadFabricSettings(env: Record<string, string | undefined>): FabricSettings {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}="${raw}" is invalid: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  const settings: FabricSettings = {
    maxRows: integer('WEFT_FABRIC_MAX_ROWS', DEFAULT_FABRIC_SETTINGS.maxRows, 1, 10_000_000),
    defaultPageRows: integer(
      'WEFT_FABRIC_PAGE_ROWS',
      DEFAULT_FABRIC_SETTINGS.defaultPageRows,
      1,
      1_000_000,
    ),
    timeoutMs: integer('WEFT_FABRIC_TIMEOUT_MS', DEFAULT_FABRIC_SETTINGS.timeoutMs, 100, 3_600_000),
    maxJoinRows: integer(
      'WEFT_FABRIC_MAX_JOIN_ROWS',
      DEFAULT_FABRIC_SETTINGS.maxJoinRows,
      1,
      100_000,
    ),
  };
  if (settings.defaultPageRows > settings.maxRows) {
    problems.push(
      `WEFT_FABRIC_PAGE_ROWS=${settings.defaultPageRows} is above WEFT_FABRIC_MAX_ROWS=${settings.maxRows}: lower it or raise the row budget`,
    );
  }

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return settings;
}

/** The budget of one request: the settings, lowered where the request asks for less. */
export interface QueryBudget {
  maxRows: number;
  timeoutMs: number;
}

/** Combine the settings with a request's own budget; a request cannot raise a limit. */
export function budgetOf(
  settings: FabricSettings,
  requested: { maxRows?: number | null; timeoutMs?: number | null } | null | undefined,
): QueryBudget {
  const maxRows = requested?.maxRows ?? settings.maxRows;
  const timeoutMs = requested?.timeoutMs ?? settings.timeoutMs;
  return {
    maxRows: Math.max(1, Math.min(maxRows, settings.maxRows)),
    timeoutMs: Math.max(1, Math.min(timeoutMs, settings.timeoutMs)),
  };
}

/** Injection token of the fabric's FabricSettings. */
export const FABRIC_SETTINGS_TOKEN = Symbol('FabricSettings');
