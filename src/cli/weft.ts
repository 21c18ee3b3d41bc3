#!/usr/bin/env node
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from '../app.module';
import { JsonLogger } from '../common/json-logger';
import { ConfigError, loadConfig, SETTINGS } from '../config/weft-config';
import type { WeftConfig } from '../config/weft-config';
import { createDataSource } from '../database/data-source.factory';
import { runExportCommand } from '../exports/export.command';
import { runFairCommand } from '../fair/fair.command';
import { HarvestService } from '../harvest/harvest.service';
import { readSourcesFile } from '../sources/source-config.parser';
import { sourceReferenceProblems } from '../sources/source-references';

const USAGE = `Usage: weft <command>

Commands:
  serve              Start the service (the default).
  migrate            Apply pending database migrations and exit.
  check-config       Validate the settings and the sources file; exit 2 on any problem.
  harvest [SOURCE]   Harvest one source, or every source, once; print the runs and exit.
  fair DATASET_ID [--json]
                     Assess a dataset against the FAIRsFAIR metrics; print each metric with its evidence.
  export DATASET_ID --from ISO --to ISO --out FILE.zip [--time-column NAME]
                     Write a time window of a dataset as an RO-Crate ZIP (CSV, Parquet,
                     metadata, checksums); print progress to stderr, the file and its SHA-256 to stdout.
  settings           List every setting with its default.

Settings are WEFT_* environment variables; docs/configuration.md describes each.`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      await import('../main').then(async (module) => module.serve());
      return -1;
    case 'migrate':
      return migrate(readConfig());
    case 'check-config':
      return checkConfig();
    case 'harvest':
      return harvest(readConfig(), rest[0]);
    case 'fair':
      return runFairCommand(readConfig(), rest, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
    case 'export':
      return runExportCommand(readConfig(), rest, {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        stderrIsTty: process.stderr.isTTY === true,
      });
    case 'settings':
      for (const setting of SETTINGS) {
        process.stdout.write(
          `${setting.name}\n    ${setting.description}\n    default: ${setting.default}\n`,
        );
      }
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

function readConfig(): WeftConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function migrate(config: WeftConfig): Promise<number> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length === 0) {
      process.stdout.write('database schema is up to date\n');
    }
    for (const migration of applied) {
      process.stdout.write(`applied ${migration.name}\n`);
    }
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

function checkConfig(): number {
  let config: WeftConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (config.sourcesFile === null) {
    process.stdout.write('settings are valid; no sources file is configured (WEFT_SOURCES_FILE)\n');
    return 0;
  }
  const parsed = readSourcesFile(config.sourcesFile);
  let problemCount = parsed.problems.length;
  for (const source of parsed.sources) {
    const problems = sourceReferenceProblems(source);
    problemCount += problems.length;
    if (problems.length === 0) {
      process.stdout.write(`ok      ${source.id} (${source.kind})\n`);
    }
    for (const problem of problems) {
      process.stderr.write(`invalid ${problem}\n`);
    }
  }
  for (const problem of parsed.problems) {
    process.stderr.write(`invalid ${problem.where}: ${problem.message}\n`);
  }
  return problemCount === 0 ? 0 : 2;
}

async function harvest(config: WeftConfig, sourceKey: string | undefined): Promise<number> {
  const logger = new JsonLogger(config.logLevel, config.logFormat, (line) =>
    process.stderr.write(line + '\n'),
  );
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ ...config, harvestOnStart: false }),
    { logger },
  );
  try {
    const harvester = app.get(HarvestService);
    const runs =
      sourceKey === undefined
        ? await harvester.runAll('demand', 'cli')
        : [await harvester.runNow(sourceKey, 'demand', 'cli')];
    for (const run of runs) {
      process.stdout.write(
        `${run.status.padEnd(9)} ${run.pid}  created ${run.datasetsCreated}, updated ${run.datasetsUpdated}, unchanged ${run.datasetsUnchanged}, withdrawn ${run.datasetsWithdrawn}, issues ${run.issues.length}${run.error === null ? '' : `\n          ${run.error}`}\n`,
      );
    }
    return runs.some((run) => run.status === 'failed') ? 1 : 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) {
      process.exit(code);
    }
  })
  .catch((error: unknown) => {
    process.stderr.write(`weft: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
