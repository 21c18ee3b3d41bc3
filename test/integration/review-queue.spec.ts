import { DataSource } from 'typeorm';

import { DatasetEntity } from '../../src/catalog/entities/dataset.entity';
import { HarvestService } from '../../src/harvest/harvest.service';
import { startFabricHarness } from '../fixtures/fabric/fabric-app';
import type { FabricHarness } from '../fixtures/fabric/fabric-app';

// The steward review queue over GraphQL, with access tokens from the real
// Keycloak test server and datasets harvested by the real PostgreSQL and
// InfluxDB harvesters from the lab fixture.

const QUEUE = `query($first: Int!, $after: String) {
  reviewQueue(first: $first, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes { missing dataset { id title } }
  }
}`;

const REVIEW = `mutation($input: ReviewDatasetInput!) {
  reviewDataset(input: $input) {
    id description keywords rightsHolder licence { id }
    history(limit: 1) { changeType changedBy reason changes }
  }
}`;

const SEARCH = `query($text: String!) { searchDatasets(input: { text: $text }) { nodes { id } } }`;

describe('review queue', () => {
  let harness: FabricHarness;
  let pids: Record<'batch' | 'asset' | 'bioreactor' | 'plug_power', string>;
  /** Every dataset the lab fixture's two sources yield; none has a licence after its harvest. */
  let harnessDatasetCount: number;

  beforeAll(async () => {
    harness = await startFabricHarness();
    pids = {
      batch: (await harness.dataset('batch')).pid,
      asset: (await harness.dataset('asset')).pid,
      bioreactor: (await harness.dataset('bioreactor')).pid,
      plug_power: (await harness.dataset('plug_power')).pid,
    };
    harnessDatasetCount = await harness.app.app
      .get(DataSource)
      .getRepository(DatasetEntity)
      .count();
  }, 240_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('lists harvested datasets with what they lack', async () => {
    // A harvester that found no description leaves it empty; this one is cleared by hand.
    await harness.app.app
      .get(DataSource)
      .getRepository(DatasetEntity)
      .update({ pid: pids.plug_power }, { description: '' });

    const response = await harness.gql(QUEUE, { first: 100 }, 'steward');
    const queue = response.body.data.reviewQueue;

    expect(response.body.errors).toBeUndefined();
    expect(harnessDatasetCount).toBeGreaterThanOrEqual(4);
    expect(queue.totalCount).toBe(harnessDatasetCount);
    const byId = Object.fromEntries(
      queue.nodes.map((node: { dataset: { id: string }; missing: string[] }) => [
        node.dataset.id,
        node.missing,
      ]),
    );
    expect(byId[pids.batch]).toEqual(['LICENCE', 'RIGHTS_HOLDER']);
    expect(byId[pids.asset]).toEqual(['LICENCE', 'RIGHTS_HOLDER']);
    expect(byId[pids.bioreactor]).toEqual(['LICENCE', 'RIGHTS_HOLDER']);
    expect(byId[pids.plug_power]).toEqual(['LICENCE', 'RIGHTS_HOLDER', 'DESCRIPTION']);
  });

  it('pages oldest first', async () => {
    const all = (await harness.gql(QUEUE, { first: 100 }, 'steward')).body.data.reviewQueue;
    const ordered = await harness.app.app
      .get(DataSource)
      .getRepository(DatasetEntity)
      .find({ order: { firstHarvestedAt: 'ASC', id: 'ASC' } });

    const first = (await harness.gql(QUEUE, { first: 1 }, 'steward')).body.data.reviewQueue;
    const second = (
      await harness.gql(QUEUE, { first: 1, after: first.pageInfo.endCursor }, 'steward')
    ).body.data.reviewQueue;

    expect(all.nodes.map((node: { dataset: { id: string } }) => node.dataset.id)).toEqual(
      ordered.map((dataset) => dataset.pid),
    );
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.nodes[0].dataset.id).toBe(ordered[0].pid);
    expect(second.nodes[0].dataset.id).toBe(ordered[1].pid);
  });

  it('rejects researchers and anonymous callers', async () => {
    const researcher = await harness.gql(QUEUE, { first: 10 }, 'researcher');
    expect(researcher.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(researcher.body.errors[0].message).toBe(
      'only data stewards may list the review queue: sign in with an account that has the steward role',
    );

    const anonymous = await harness.gql(QUEUE, { first: 10 });
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(anonymous.body.errors[0].message).toBe(
      'anonymous requests cannot list the review queue: sign in with an account that has the steward role',
    );
  });

  it('review sets all four fields with history', async () => {
    const response = await harness.gql(
      REVIEW,
      {
        input: {
          datasetId: pids.batch,
          licenceId: 'CC-BY-4.0',
          rightsHolder: 'Bioprocess Lab',
          description: 'Fermentation batches with their reactor, start and end.',
          keywords: ['fermentation', 'batch record', 'bioprocess'],
          reason: 'curated for the lab data release',
        },
      },
      'steward',
    );
    const dataset = response.body.data.reviewDataset;
    const harvested = await harness.dataset('batch');

    expect(response.body.errors).toBeUndefined();
    expect(dataset.licence).toEqual({ id: 'CC-BY-4.0' });
    expect(dataset.rightsHolder).toBe('Bioprocess Lab');
    expect(dataset.description).toBe('Fermentation batches with their reactor, start and end.');
    expect(dataset.keywords).toEqual(['batch record', 'bioprocess', 'fermentation']);
    expect(dataset.history[0].changeType).toBe('review');
    expect(dataset.history[0].changedBy).toBe(harness.env.WEFT_TEST_USER_STEWARD);
    expect(dataset.history[0].reason).toBe('curated for the lab data release');
    expect(Object.keys(dataset.history[0].changes).sort()).toEqual([
      'description',
      'keywords',
      'licence',
      'reviewed',
      'rightsHolder',
    ]);
    expect(dataset.history[0].changes.licence).toEqual({ from: null, to: 'CC-BY-4.0' });
    expect(harvested.curatedFields).toEqual(['description', 'keywords']);
    expect(harvested.reviewedBy).toBe(harness.env.WEFT_TEST_USER_STEWARD);
  });

  it('reviewed dataset leaves the queue', async () => {
    const queue = (await harness.gql(QUEUE, { first: 100 }, 'steward')).body.data.reviewQueue;
    const ids = queue.nodes.map((node: { dataset: { id: string } }) => node.dataset.id);

    expect(queue.totalCount).toBe(harnessDatasetCount - 1);
    expect(ids).not.toContain(pids.batch);
  });

  it('curated fields survive a re-harvest', async () => {
    const { pg, schema } = harness.fixture;
    await pg.query(`COMMENT ON TABLE "${schema}".batch IS 'Batch table as the LIMS writes it'`);
    await pg.query(`COMMENT ON TABLE "${schema}".asset IS 'Assets of the lab, one per device'`);

    const run = await harness.app.app.get(HarvestService).runNow('lab-db', 'demand', 'test');
    const batch = await harness.dataset('batch');
    const asset = await harness.dataset('asset');

    expect(run.status).toBe('succeeded');
    // The uncurated dataset takes the new comment, so the harvest did write.
    expect(asset.description).toBe('Assets of the lab, one per device');
    expect(batch.description).toBe('Fermentation batches with their reactor, start and end.');
    expect(batch.keywords).toEqual(['batch record', 'bioprocess', 'fermentation']);
    expect(batch.licenceId).toBe('CC-BY-4.0');
    expect(batch.rightsHolder).toBe('Bioprocess Lab');
  });

  it('search finds curated words after re-harvest', async () => {
    const curated = await harness.gql(SEARCH, { text: 'fermentation' }, 'steward');
    const harvested = await harness.gql(SEARCH, { text: 'LIMS' }, 'steward');

    expect(curated.body.data.searchDatasets.nodes).toEqual([{ id: pids.batch }]);
    expect(harvested.body.data.searchDatasets.nodes).toEqual([]);
  });

  it('rejects an unknown licence', async () => {
    const response = await harness.gql(
      REVIEW,
      { input: { datasetId: pids.asset, licenceId: 'CC-BY-9.9', reason: 'release' } },
      'steward',
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      'licence "CC-BY-9.9" is not known: use an SPDX identifier from the licences query (such as CC-BY-4.0), or define a custom licence with assignLicence first',
    );
  });

  it('rejects an empty reason', async () => {
    const response = await harness.gql(
      REVIEW,
      { input: { datasetId: pids.asset, licenceId: 'CC-BY-4.0', reason: '  ' } },
      'steward',
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      'reason is empty: say why these values are set (it is kept in the dataset history)',
    );
  });

  it('rejects a researcher', async () => {
    const response = await harness.gql(
      REVIEW,
      { input: { datasetId: pids.asset, licenceId: 'CC-BY-4.0', reason: 'release' } },
      'researcher',
    );

    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(response.body.errors[0].message).toBe(
      'only data stewards may review datasets: sign in with an account that has the steward role',
    );
  });

  it('rejects an empty keyword', async () => {
    const response = await harness.gql(
      REVIEW,
      { input: { datasetId: pids.asset, keywords: ['lab', ' '], reason: 'release' } },
      'steward',
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors[0].message).toBe(
      'keywords[1] "" is empty or longer than 100 characters: give each keyword as a word or short phrase',
    );
  });

  it('leaves rejected datasets in the queue', async () => {
    const asset = await harness.dataset('asset');

    expect(asset.reviewedAt).toBeNull();
    expect(asset.licenceId).toBeNull();
  });
});
