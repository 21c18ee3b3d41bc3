import { importNodeSets } from './nodeset-importer';
it('prints', async () => {
  const s = await importNodeSets({ sourceId: 'x', files: ['/work/shared/corpus/opcua/machinery_identification_subset.NodeSet2.xml'] });
  process.stdout.write(JSON.stringify(s, null, 1) + '\n');
});
