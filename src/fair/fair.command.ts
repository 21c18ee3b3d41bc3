import { NestFactory } from '@nestjs/core';

import { AppModule } from '../app.module';
import type { Viewer } from '../auth/viewer';
import { JsonLogger } from '../common/json-logger';
import type { WeftConfig } from '../config/weft-config';
import { FairAssessmentError } from './fair-assessment.error';
import { FairAssessmentService } from './fair-assessment.service';
import { formatAssessment } from './fair-report';

/**
 * The operator at the console may read every dataset, as the service's
 * database account can; the assessment shows each dataset's access level
 * under FsF-A1-01M.
 */
const CONSOLE_VIEWER: Viewer = {
  subject: 'cli',
  username: 'cli',
  roles: ['admin'],
  realmRoles: ['admin'],
};

export const FAIR_USAGE = 'weft fair DATASET_ID [--json]';

/** Output streams of the command: standard output for the report, standard error for problems. */
export interface CommandStreams {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `weft fair DATASET_ID [--json]`: assess one dataset and print the report,
 * as text or, with `--json`, as the assessment object. Exits 0 when the
 * dataset was assessed, 1 when it could not be, 2 for wrong arguments.
 */
export async function runFairCommand(
  config: WeftConfig,
  args: string[],
  streams: CommandStreams,
): Promise<number> {
  const ids = args.filter((arg) => !arg.startsWith('--'));
  const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--json');
  if (ids.length !== 1 || unknown.length > 0) {
    streams.stderr(`usage: ${FAIR_USAGE}\n`);
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
    const assessment = await app
      .get(FairAssessmentService)
      .assess(ids[0], { viewer: CONSOLE_VIEWER, signedIn: true });
    streams.stdout(
      args.includes('--json')
        ? `${JSON.stringify(assessment, null, 2)}\n`
        : formatAssessment(assessment),
    );
    return 0;
  } catch (error) {
    if (error instanceof FairAssessmentError) {
      streams.stderr(`weft fair: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await app.close();
  }
}
