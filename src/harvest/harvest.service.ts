import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DERIVED_SOURCE_KIND, SourceSystemEntity } from '../catalog/entities/source-system.entity';
import { asJson } from '../common/json';
import { WeftConfigService } from '../config/weft-config.service';
import { IdentifiersService } from '../identifiers/identifiers.service';
import { harvestActivityDocument } from '../provenance/prov-document';
import { HarvestRunEntity } from '../provenance/harvest-run.entity';
import type { HarvestRunStatus } from '../provenance/harvest-run.entity';
import type { SourceConfig } from '../sources/source-config.types';
import { SourcesService } from '../sources/sources.service';
import type { Harvester, HarvestIssue, HarvestSnapshot } from './harvest.types';
import { HarvestRunListeners } from './harvest-run-listeners';
import { HarvesterFactory } from './harvester.factory';
import { SnapshotWriterService } from './ingest/snapshot-writer.service';
import type { SnapshotChanges } from './ingest/snapshot-writer.service';

/** First retry delay after a failed run; each further failure doubles it, up to the source's interval. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 15 * 60_000;
/** A run that takes longer than this is aborted and recorded as failed. */
const RUN_TIMEOUT_MS = 10 * 60_000;

interface SourceState {
  harvester: Harvester | null;
  timer: NodeJS.Timeout | null;
  running: Promise<HarvestRunEntity> | null;
  failures: number;
  abort: AbortController | null;
}

export type RunTrigger = HarvestRunEntity['trigger'];

/**
 * Runs harvests: on a schedule per source, on demand, and again with
 * exponential backoff after a failure. Each run is recorded as a PROV-O
 * activity with its own identifier. Sources are isolated: a source that is
 * down or returns garbage fails its own run and nobody else's.
 */
@Injectable()
export class HarvestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HarvestService.name);
  private readonly states = new Map<string, SourceState>();
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SourcesService,
    private readonly factory: HarvesterFactory,
    private readonly writer: SnapshotWriterService,
    private readonly identifiers: IdentifiersService,
    private readonly config: WeftConfigService,
    private readonly runListeners: HarvestRunListeners,
  ) {
    this.sources.onChange((source) => this.reschedule(source));
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const source of await this.sources.list()) {
      this.reschedule(source, this.config.value.harvestOnStart ? 0 : undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const [sourceKey, state] of this.states) {
      if (state.timer !== null) {
        clearTimeout(state.timer);
      }
      state.abort?.abort();
      await state.running?.catch(() => undefined);
      await this.closeHarvester(sourceKey, state);
    }
    this.logger.log({ msg: 'harvest scheduler stopped' });
  }

  /** Harvest one source now and wait for the result; joins a run already in progress. */
  async runNow(
    sourceKey: string,
    trigger: RunTrigger = 'demand',
    requestedBy: string | null = null,
  ): Promise<HarvestRunEntity> {
    const source = await this.sources.findByKey(sourceKey);
    if (source === null) {
      throw new Error(`source "${sourceKey}" not found: check the id with the sources query`);
    }
    if (source.kind === DERIVED_SOURCE_KIND) {
      throw new Error(
        `source "${sourceKey}" contains derived datasets saved from query results and is never harvested: harvest the sources of their inputs instead`,
      );
    }
    const state = this.stateOf(sourceKey);
    if (state.running !== null) {
      return state.running;
    }
    state.running = this.execute(source, trigger, requestedBy).finally(() => {
      state.running = null;
    });
    return state.running;
  }

  /** Harvest every active source once, in parallel, and wait for all. */
  async runAll(
    trigger: RunTrigger = 'demand',
    requestedBy: string | null = null,
  ): Promise<HarvestRunEntity[]> {
    const active = (await this.sources.list()).filter(
      (source) => source.status === 'active' && isEnabled(source),
    );
    return Promise.all(active.map((source) => this.runNow(source.sourceKey, trigger, requestedBy)));
  }

  private async execute(
    source: SourceSystemEntity,
    trigger: RunTrigger,
    requestedBy: string | null,
  ): Promise<HarvestRunEntity> {
    const state = this.stateOf(source.sourceKey);
    const config = source.config as unknown as SourceConfig;
    const runs = this.dataSource.getRepository(HarvestRunEntity);
    const startedAt = new Date();

    const run = await this.dataSource.transaction(async (manager) => {
      const id = crypto.randomUUID();
      const pid = await this.identifiers.mint(manager, 'activity', id);
      await manager.getRepository(HarvestRunEntity).insert({
        id,
        pid,
        sourceId: source.id,
        status: 'running',
        trigger,
        requestedBy,
        harvester: 'pending',
        startedAt,
        endedAt: null,
        issues: [],
        error: null,
        attempt: state.failures,
        prov: {},
      });
      return manager.getRepository(HarvestRunEntity).findOneOrFail({ where: { id } });
    });
    this.logger.log({
      msg: 'harvest run started',
      sourceId: source.sourceKey,
      runPid: run.pid,
      trigger,
      attempt: state.failures,
    });

    let snapshot: HarvestSnapshot;
    let error: string | null = null;
    try {
      snapshot = await this.harvestWithTimeout(source, config, state);
    } catch (caught) {
      // Harvesters report item problems as issues; an exception here means the whole source failed.
      error = caught instanceof Error ? caught.message : String(caught);
      snapshot = emptySnapshot(source, config, startedAt, error);
    }

    let changes: SnapshotChanges = {
      created: [],
      updated: [],
      unchanged: 0,
      withdrawn: [],
      restored: [],
      differences: {},
    };
    const sourceFailed = error !== null || isWholeSourceFailure(snapshot);
    if (!sourceFailed) {
      try {
        changes = await this.writer.write(source, snapshot, run.pid);
        // notify() catches and logs each listener's error, so a listener cannot fail the run.
        await this.runListeners.notify({
          source,
          runPid: run.pid,
          harvestedKeys: snapshot.datasets.map((dataset) => dataset.key),
          withdrawnPids: changes.withdrawn,
          endedAt: new Date(snapshot.endedAt),
        });
      } catch (caught) {
        error = `writing the catalog failed: ${caught instanceof Error ? caught.message : String(caught)}`;
        this.logger.error({
          msg: 'harvest run could not write the catalog',
          sourceId: source.sourceKey,
          runPid: run.pid,
          error,
        });
      }
    }

    const status = runStatus(error, snapshot, sourceFailed);
    const endedAt = new Date();
    const issues = snapshot.issues.slice(0, 1000);
    const prov = harvestActivityDocument({
      activityPid: run.pid,
      sourcePid: source.pid,
      sourceTitle: source.title,
      harvester: snapshot.harvester,
      trigger,
      requestedBy,
      startedAt,
      endedAt,
      status,
      changes,
      issues,
      datasetCount: snapshot.datasets.length,
    });

    await runs.update(
      { id: run.id },
      {
        status,
        harvester: snapshot.harvester,
        endedAt,
        datasetsCreated: changes.created.length,
        datasetsUpdated: changes.updated.length,
        datasetsUnchanged: changes.unchanged,
        datasetsWithdrawn: changes.withdrawn.length,
        issues,
        error: error ?? firstError(snapshot),
        prov: asJson(prov),
      },
    );
    await this.dataSource.getRepository(SourceSystemEntity).update(
      { id: source.id },
      {
        lastHarvestAt: endedAt,
        lastHarvestStatus: status,
        lastError: status === 'failed' ? (error ?? firstError(snapshot)) : null,
        ...(status === 'failed' ? {} : { details: asJson(snapshot.sourceDetails) }),
      },
    );

    state.failures = status === 'failed' ? state.failures + 1 : 0;
    this.logger.log({
      msg: 'harvest run ended',
      sourceId: source.sourceKey,
      runPid: run.pid,
      status,
      created: changes.created.length,
      updated: changes.updated.length,
      unchanged: changes.unchanged,
      withdrawn: changes.withdrawn.length,
      issues: snapshot.issues.length,
      durationMs: endedAt.getTime() - startedAt.getTime(),
      ...(status === 'failed' ? { error: error ?? firstError(snapshot) } : {}),
    });
    this.scheduleNext(source, status === 'failed');
    return runs.findOneOrFail({ where: { id: run.id } });
  }

  private async harvestWithTimeout(
    source: SourceSystemEntity,
    config: SourceConfig,
    state: SourceState,
  ): Promise<HarvestSnapshot> {
    if (state.harvester === null) {
      state.harvester = await this.factory.create(config);
    }
    const abort = new AbortController();
    state.abort = abort;
    const timeout = setTimeout(
      () =>
        abort.abort(
          new Error(`harvest of ${source.sourceKey} timed out after ${RUN_TIMEOUT_MS / 1000} s`),
        ),
      RUN_TIMEOUT_MS,
    );
    try {
      return await state.harvester.harvest(abort.signal);
    } finally {
      clearTimeout(timeout);
      state.abort = null;
    }
  }

  private reschedule(source: SourceSystemEntity, delayMs?: number): void {
    const state = this.stateOf(source.sourceKey);
    if (state.timer !== null) {
      clearTimeout(state.timer);
      state.timer = null;
    }
    // A changed configuration needs a new connection.
    void this.closeHarvester(source.sourceKey, state);
    if (source.status !== 'active' || !isEnabled(source) || this.stopping) {
      return;
    }
    const interval = intervalMs(source);
    const delay = delayMs ?? (interval > 0 ? interval : undefined);
    if (delay !== undefined) {
      this.arm(source.sourceKey, delay, delayMs === 0 ? 'startup' : 'schedule');
    }
  }

  private scheduleNext(source: SourceSystemEntity, failed: boolean): void {
    if (this.stopping) {
      return;
    }
    const state = this.stateOf(source.sourceKey);
    const interval = intervalMs(source);
    if (failed) {
      const backoff = Math.min(
        RETRY_BASE_MS * 2 ** Math.max(0, state.failures - 1),
        interval > 0 ? interval : RETRY_MAX_MS,
        RETRY_MAX_MS,
      );
      const jittered = Math.round(backoff * (0.8 + Math.random() * 0.4));
      this.logger.warn({
        msg: 'harvest failed, retrying with backoff',
        sourceId: source.sourceKey,
        retryInMs: jittered,
        failures: state.failures,
      });
      this.arm(source.sourceKey, jittered, 'retry');
      return;
    }
    if (interval > 0) {
      this.arm(source.sourceKey, interval, 'schedule');
    }
  }

  private arm(sourceKey: string, delayMs: number, trigger: RunTrigger): void {
    const state = this.stateOf(sourceKey);
    if (state.timer !== null) {
      clearTimeout(state.timer);
    }
    state.timer = setTimeout(() => {
      state.timer = null;
      this.runNow(sourceKey, trigger).catch((error: unknown) => {
        this.logger.error({
          msg: 'scheduled harvest failed to start',
          sourceId: sourceKey,
          error: error instanceof Error ? error.message : String(error),
        });
      });
    }, delayMs);
    state.timer.unref();
  }

  private async closeHarvester(sourceKey: string, state: SourceState): Promise<void> {
    const harvester = state.harvester;
    state.harvester = null;
    if (harvester === null) {
      return;
    }
    try {
      await harvester.close();
    } catch (error) {
      this.logger.warn({
        msg: 'closing harvester failed',
        sourceId: sourceKey,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private stateOf(sourceKey: string): SourceState {
    let state = this.states.get(sourceKey);
    if (state === undefined) {
      state = { harvester: null, timer: null, running: null, failures: 0, abort: null };
      this.states.set(sourceKey, state);
    }
    return state;
  }
}

function isEnabled(source: SourceSystemEntity): boolean {
  return (source.config as { enabled?: boolean }).enabled !== false;
}

function intervalMs(source: SourceSystemEntity): number {
  const seconds = (source.config as { intervalSeconds?: number }).intervalSeconds ?? 0;
  return seconds * 1000;
}

function emptySnapshot(
  source: SourceSystemEntity,
  config: SourceConfig,
  startedAt: Date,
  error: string,
): HarvestSnapshot {
  return {
    sourceId: source.sourceKey,
    sourceKind: config.kind,
    harvester: `weft-${config.kind}-harvester`,
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    sourceDetails: {},
    datasets: [],
    issues: [{ severity: 'error', subject: source.sourceKey, message: error }],
    complete: false,
  };
}

/** A run that saw nothing and reported an error could not reach or read its source. */
function isWholeSourceFailure(snapshot: HarvestSnapshot): boolean {
  return (
    snapshot.datasets.length === 0 && snapshot.issues.some((issue) => issue.severity === 'error')
  );
}

function runStatus(
  error: string | null,
  snapshot: HarvestSnapshot,
  sourceFailed: boolean,
): HarvestRunStatus {
  if (error !== null || sourceFailed) {
    return 'failed';
  }
  return snapshot.issues.some((issue: HarvestIssue) => issue.severity === 'error')
    ? 'partial'
    : 'succeeded';
}

function firstError(snapshot: HarvestSnapshot): string | null {
  const issue = snapshot.issues.find((candidate) => candidate.severity === 'error');
  return issue === undefined ? null : `${issue.subject}: ${issue.message}`;
}
