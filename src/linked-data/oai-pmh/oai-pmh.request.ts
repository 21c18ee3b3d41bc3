import { OaiPmhError } from './oai-pmh.error';

/** The arguments of a list request: a fresh selection, or a resumption token alone. */
export type ListArguments =
  | {
      kind: 'fresh';
      metadataPrefix: string;
      from: Date | null;
      until: Date | null;
      /** The setSpec, or null for all records. */
      set: string | null;
    }
  | { kind: 'resume'; resumptionToken: string };

/** A valid OAI-PMH request. */
export type OaiRequest =
  | { verb: 'Identify' }
  | { verb: 'ListMetadataFormats'; identifier: string | null }
  | { verb: 'ListSets'; resumptionToken: string | null }
  | { verb: 'GetRecord'; identifier: string; metadataPrefix: string }
  | { verb: 'ListIdentifiers' | 'ListRecords'; list: ListArguments };

type Verb = OaiRequest['verb'];

/** The arguments each verb allows (OAI-PMH 2.0, section 4), besides `verb`. */
const ALLOWED: Record<Verb, readonly string[]> = {
  Identify: [],
  ListMetadataFormats: ['identifier'],
  ListSets: ['resumptionToken'],
  GetRecord: ['identifier', 'metadataPrefix'],
  ListIdentifiers: ['metadataPrefix', 'from', 'until', 'set', 'resumptionToken'],
  ListRecords: ['metadataPrefix', 'from', 'until', 'set', 'resumptionToken'],
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Check the arguments of a request against OAI-PMH 2.0. The verb must be
 * known, and only the arguments it allows may come, each at most once,
 * with the required ones present. A resumption token comes alone. Dates
 * are UTC, of one granularity, with from not after until. Raises badVerb
 * or badArgument otherwise.
 */
export function parseOaiRequest(parameters: Record<string, string[]>): OaiRequest {
  const verb = single(parameters, 'verb', 'badVerb');
  if (verb === null) {
    throw new OaiPmhError(
      'badVerb',
      'the verb argument is missing: use Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers or ListRecords',
    );
  }
  if (!isVerb(verb)) {
    throw new OaiPmhError(
      'badVerb',
      `"${verb.slice(0, 40)}" is not an OAI-PMH verb: use Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers or ListRecords`,
    );
  }
  const illegal = Object.keys(parameters).filter(
    (name) => name !== 'verb' && !ALLOWED[verb].includes(name),
  );
  if (illegal.length > 0) {
    throw new OaiPmhError(
      'badArgument',
      `${verb} does not take ${illegal.map((name) => name.slice(0, 40)).join(', ')}: its arguments are ${ALLOWED[verb].join(', ') || 'none'}`,
    );
  }
  const argument = (name: string): string | null => single(parameters, name, 'badArgument');

  switch (verb) {
    case 'Identify':
      return { verb };
    case 'ListMetadataFormats':
      return { verb, identifier: argument('identifier') };
    case 'ListSets':
      return { verb, resumptionToken: argument('resumptionToken') };
    case 'GetRecord':
      return {
        verb,
        identifier: required(argument('identifier'), verb, 'identifier'),
        metadataPrefix: required(argument('metadataPrefix'), verb, 'metadataPrefix'),
      };
    case 'ListIdentifiers':
    case 'ListRecords':
      return { verb, list: listArguments(verb, argument) };
  }
}

function listArguments(verb: Verb, argument: (name: string) => string | null): ListArguments {
  const resumptionToken = argument('resumptionToken');
  const others = ['metadataPrefix', 'from', 'until', 'set'].filter(
    (name) => argument(name) !== null,
  );
  if (resumptionToken !== null) {
    if (others.length > 0) {
      throw new OaiPmhError(
        'badArgument',
        `resumptionToken is an exclusive argument, but ${others.join(', ')} came with it: send the token alone`,
      );
    }
    return { kind: 'resume', resumptionToken };
  }

  const from = argument('from');
  const until = argument('until');
  const fromDate = from === null ? null : parseDate('from', from, false);
  const untilDate = until === null ? null : parseDate('until', until, true);
  if (from !== null && until !== null && DAY.test(from) !== DAY.test(until)) {
    throw new OaiPmhError(
      'badArgument',
      `from=${from} and until=${until} have different granularities: give both as YYYY-MM-DD or both as YYYY-MM-DDThh:mm:ssZ`,
    );
  }
  if (fromDate !== null && untilDate !== null && fromDate > untilDate) {
    throw new OaiPmhError('badArgument', `from=${from} is later than until=${until}`);
  }
  return {
    kind: 'fresh',
    metadataPrefix: required(argument('metadataPrefix'), verb, 'metadataPrefix'),
    from: fromDate,
    until: untilDate,
    set: argument('set'),
  };
}

/**
 * Parse a UTC date of either granularity. An until date without a time
 * covers its whole day, so it becomes the day's last second.
 */
function parseDate(name: string, text: string, endOfDay: boolean): Date {
  const day = DAY.test(text);
  if (!day && !SECOND.test(text)) {
    throw new OaiPmhError(
      'badArgument',
      `${name}=${text.slice(0, 40)} is not a UTC date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ`,
    );
  }
  const date = new Date(day ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text.slice(0, 10)) {
    throw new OaiPmhError('badArgument', `${name}=${text} is not a valid date`);
  }
  return day && endOfDay ? new Date(date.getTime() + 86_399_000) : date;
}

function single(
  parameters: Record<string, string[]>,
  name: string,
  code: 'badVerb' | 'badArgument',
): string | null {
  const values = parameters[name];
  if (values === undefined || values.length === 0) {
    return null;
  }
  if (values.length > 1) {
    throw new OaiPmhError(code, `${name} is given ${values.length} times: give it once`);
  }
  // PostgreSQL text cannot hold NUL, so such a value could never match and would fail the query.
  if (values[0].includes('\u0000')) {
    throw new OaiPmhError(code, `${name} contains a NUL character: remove it`);
  }
  return values[0];
}

function required(value: string | null, verb: Verb, name: string): string {
  if (value === null || value === '') {
    throw new OaiPmhError('badArgument', `${verb} needs the ${name} argument`);
  }
  return value;
}

function isVerb(text: string): text is Verb {
  return Object.prototype.hasOwnProperty.call(ALLOWED, text);
}
