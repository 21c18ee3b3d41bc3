import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { NestFactory } from '@nestjs/core';

import { AppModule } from '../app.module';
import type { Viewer } from '../auth/viewer';
import { JsonLogger } from '../common/json-logger';
import type { WeftConfig } from '../config/weft-config';
import { FabricError } from '../fabric/fabric.error';
import { DatasetExportService } from './dataset-export.service';
import type { ExportProgress } from './dataset-export.service';
import { ExportError } from './export.error';
import { percentOf } from './export.resolver';

/**
 * The operator at the console may read every dataset, as the service's
 * database account can; the crate names this account as the agent.
 */
const CONSOLE_VIEWER: Viewer = {
  subject: 'cli',
  username: 'cli',
  roles: ['admin'],
  realmRoles: ['admin'],
};

export const EXPORT_USAGE =
  'weft export DATASET_ID --from ISO --to ISO --out FILE.zip [--time-column NAME]';

/** Output streams of the command, and whether standard error is a terminal (for a progress bar). */
export interface ExportStreams {
  stdout(text: string): void;
  stderr(text: string): void;
  stderrIsTty: boolean;
}

interface ExportArguments {
  dataset: string;
  from: string;
  to: string;
  out: string;
  timeColumn: string | null;
}

/**
 * `weft export`: write a time window of a dataset as an RO-Crate ZIP, with
 * progress on standard error and the file's path and SHA-256 on standard
 * output. Exits 0 when the file was written, 1 when the export failed, 2
 * for wrong arguments.
 */
export async function runExportCommand(
  config: WeftConfig,
  args: string[],
  streams: ExportStreams,
): Promise<number> {
  const parsed = parseArguments(args);
  if (typeof parsed === 'string') {
    streams.stderr(`weft export: ${parsed}\nusage: ${EXPORT_USAGE}\n`);
    return 2;
  }

  const logger = new JsonLogger(config.logLevel, config.logFormat, (line) =>
    streams.stderr(`${line}\n`),
  );
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, harvestOnStart: false }),
    { logger },
  );
  try {
    const exporter = app.get(DatasetExportService);
    const prepared = await exporter.prepare(
      { dataset: parsed.dataset, from: parsed.from, to: parsed.to, timeColumn: parsed.timeColumn },
      CONSOLE_VIEWER,
    );
    const progress = new ProgressPrinter(streams);
    const result = await exporter.write(prepared, parsed.out, randomUUID(), (update) =>
      progress.show(update),
    );
    progress.done(result.rowCount);
    streams.stdout(
      `${result.path}\nsha256 ${result.sha256}  ${result.size} bytes, ${result.rowCount} rows\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportError || error instanceof FabricError) {
      streams.stderr(`weft export: ${error.message}\n`);
      return error instanceof ExportError && error.code === 'INVALID_INPUT' ? 2 : 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}

/** Read the arguments; a string is the problem to report. */
export function parseArguments(args: string[]): ExportArguments | string {
  const values: Record<string, string> = {};
  const positional: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2);
    if (!['from', 'to', 'out', 'time-column'].includes(name)) {
      return `unknown option --${name}: the options are --from, --to, --out and --time-column`;
    }
    const value = inline ?? args[++index];
    if (value === undefined || value.startsWith('--')) {
      return `--${name} needs a value`;
    }
    values[name] = value;
  }

  if (positional.length !== 1) {
    return positional.length === 0
      ? "the dataset identifier is missing: pass the persistent identifier that the dataset's landing page or GraphQL search shows"
      : `one dataset identifier is expected, but ${positional.length} were given (${positional.join(' ')})`;
  }
  for (const name of ['from', 'to', 'out']) {
    if (values[name] === undefined) {
      return `--${name} is missing`;
    }
  }
  const out = path.resolve(values.out);
  if (!out.endsWith('.zip')) {
    return `--out ${values.out} does not end in .zip: name the file to write, such as bioreactor-2024-03.zip`;
  }
  const folder = path.dirname(out);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return `--out ${values.out}: folder ${folder} does not exist; create it or choose another path`;
  }
  return {
    dataset: positional[0],
    from: values.from,
    to: values.to,
    out,
    timeColumn: values['time-column'] ?? null,
  };
}

/** Prints progress to standard error: a bar redrawn in place on a terminal, a line per update elsewhere. */
export class ProgressPrinter {
  private lastLine = 0;

  constructor(private readonly streams: ExportStreams) {}

  show(progress: ExportProgress): void {
    const percent = percentOf(progress.rowsWritten, progress.estimatedTotal);
    if (this.streams.stderrIsTty) {
      const width = 30;
      const filled = percent === null ? 0 : Math.round((percent / 100) * width);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      this.streams.stderr(`\r${bar} ${describe(progress, percent)}`);
      return;
    }
    // Without a terminal, one line a second at most keeps logs short.
    const now = Date.now();
    if (now - this.lastLine >= 1000 || progress.rowsWritten === progress.estimatedTotal) {
      this.lastLine = now;
      this.streams.stderr(`${describe(progress, percent)}\n`);
    }
  }

  done(rowCount: number): void {
    this.streams.stderr(`${this.streams.stderrIsTty ? '\n' : ''}wrote ${rowCount} rows\n`);
  }
}

function describe(progress: ExportProgress, percent: number | null): string {
  if (percent === null || progress.estimatedTotal === null) {
    return `${progress.rowsWritten} rows`;
  }
  return `${progress.rowsWritten} of about ${progress.estimatedTotal} rows (${percent}%)`;
}
