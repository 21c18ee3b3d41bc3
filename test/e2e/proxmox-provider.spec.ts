import { expectCheckPassed, runScript, type ScriptRun } from './script-runner';

// The proxmox provider against a stand-in for the Proxmox VE API that checks
// every request against the API's published schema. No Proxmox VE node can
// run on the test machine, so this is a mock at the HTTP boundary.
// test/e2e/proxmox-provider.sh says what it proves and what it cannot.

const checks = [
  'first run creates and starts the guests',
  'guests are unprivileged LXC from the template',
  'node reports the guests running',
  'second run snapshots, changes nothing else',
  'one snapshot listed per guest',
  'rollback playbook restores the snapshot',
  'rollback rejects a foreign snapshot name',
  'stand-in rejects an unknown parameter',
  'stand-in rejects a missing parameter',
  'stand-in rejects a vmid below 100',
  'stand-in rejects a malformed net0',
  'stand-in rejects a bad boolean',
  'stand-in rejects a bad snapshot name',
  'stand-in rejects a missing token',
  'stand-in rejects a wrong token secret',
  'stand-in rejects an unknown path',
  'stand-in rejects an existing vmid',
];

describe('proxmox provider against the Proxmox VE API stand-in', () => {
  let run: ScriptRun;

  beforeAll(
    () => {
      run = runScript('test/e2e/proxmox-provider.sh', [], 'proxmox-provider');
    },
    15 * 60 * 1000,
  );

  it.each(checks)('%s', (name) => {
    expectCheckPassed(run, name);
  });

  it('script reports all checks passed', () => {
    expect(run.output).toContain('17 passed, 0 failed');
    expect(run.status).toBe(0);
  });
});
