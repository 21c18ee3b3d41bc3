import { expectCheckPassed, runScript, type ScriptRun } from './script-runner';

// The end-to-end deployment of the Ansible collection: the lab
// profile on four systemd-nspawn guests of this machine, with real Mosquitto,
// PostgreSQL, InfluxDB 1.6, Node-RED, Keycloak, Traefik, Telegraf, Weft, n8n
// and Home Assistant (on the Debian 13 guest).
// scripts/e2e/run.sh does the work and prints one line per step and check;
// each of them is one test here, so that a failure counts once by name.
// Needs root (bridge and containers) and 12 to 30 minutes.

const steps = [
  'controller packages installed',
  'air-gapped bundle built',
  'first deploy of the lab profile',
];

// Grafana cannot be installed on the test machine: its role runs in check
// mode, and its rendered configuration is validated by
// test/e2e/grafana/validate-grafana.py.
const checkModeRoles = [
  'Grafana role passes in check mode',
  'Grafana configuration renders',
  'grafana.ini sets TLS and Keycloak sign-in',
  'Grafana data sources provisioning valid',
  'Grafana dashboard provider valid',
  'Grafana dashboards use provisioned data sources',
];

const stackChecks = [
  'device message normalized by Node-RED',
  'normalized point stored in InfluxDB',
  "device cannot publish under another device's topics",
  'anonymous MQTT rejected',
  'wrong MQTT password rejected',
  'plain MQTT port closed',
  'Telegraf reports every guest',
  'Weft certificate from the site CA',
  'Keycloak certificate from the site CA',
  'Node-RED certificate from the site CA',
  'Weft served over TLS by Traefik',
  'Keycloak served over TLS by Traefik',
  'plain HTTP redirected to HTTPS',
  'Node-RED UI needs basic auth',
  'Node-RED UI opens with basic auth',
  'Node-RED admin API needs a token',
  'Weft sources need sign-in',
  'researcher cannot start harvests',
  'InfluxDB harvest by the admin succeeds',
  'broker harvest observes the devices',
  'researcher finds the harvested datasets',
  'anonymous search hides site datasets',
  'Home Assistant certificate from the site CA',
  'Home Assistant served over TLS by Traefik',
  'Home Assistant onboarding closed to strangers',
  'Home Assistant API needs sign-in',
  'Home Assistant discovers a device over MQTT',
  'n8n certificate from the site CA',
  'n8n editor needs basic auth',
  'n8n owner set up by the deployment',
  'n8n setup closed to strangers',
  'n8n port closed to the site network',
  'n8n webhook rejects strangers',
  'n8n alert webhook runs its workflow',
  'user Node-RED tab added',
];

const redeployAndRestore = [
  'second run changes nothing',
  'user Node-RED tab survived the redeploy',
  'backup taken',
  'PostgreSQL guest destroyed',
  'PostgreSQL guest re-created',
  'restore playbook runs',
  'Weft catalog restored with its identifiers',
  'n8n restored with its executions',
  'run after the restore changes nothing',
];

describe('lab profile deployed on local container hosts', () => {
  let run: ScriptRun;

  beforeAll(
    () => {
      run = runScript('scripts/e2e/run.sh', [], 'deploy');
    },
    75 * 60 * 1000,
  );

  it.each([...steps, ...checkModeRoles, ...stackChecks, ...redeployAndRestore])('%s', (name) => {
    expectCheckPassed(run, name);
  });

  it('run.sh exits 0 and removes its guests', () => {
    expect(run.output).toMatch(/^E2E finished in \d+ s$/m);
    expect(run.status).toBe(0);
  });
});
