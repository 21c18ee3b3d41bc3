import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

/** A server process the demo started, with what clients need to reach it. */
export interface LocalServer {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}

function startProcess(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  uid?: number,
  gid?: number,
): LocalServer {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid === undefined ? {} : { uid, gid }),
  });
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.on('exit', () => writeFileSync(logFile, Buffer.concat(chunks)));
  return {
    name,
    child,
    stop: async () => {
      if (child.exitCode !== null) {
        return;
      }
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function waitFor(
  what: string,
  child: ChildProcess,
  check: () => Promise<boolean>,
  logFile: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error(`${what} exited with code ${child.exitCode}; see ${logFile}`);
    }
    if (await check().catch(() => false)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s; see ${logFile}`);
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) {
    return undefined;
  }
  try {
    const uid = Number(execFileSync('id', ['-u', name]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', name]).toString().trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** A throwaway CA and a certificate for 127.0.0.1 and localhost, made with openssl. */
export function makeTlsFiles(dir: string): { caFile: string; certFile: string; keyFile: string } {
  mkdirSync(dir, { recursive: true });
  const caKey = path.join(dir, 'ca.key');
  const caFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'server.key');
  const csr = path.join(dir, 'server.csr');
  const certFile = path.join(dir, 'server.crt');
  const extFile = path.join(dir, 'server.ext');
  if (!existsSync(certFile)) {
    const quiet = { stdio: 'ignore' as const };
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '30',
        '-subj',
        '/CN=Weft demo CA',
        '-keyout',
        caKey,
        '-out',
        caFile,
      ],
      quiet,
    );
    execFileSync(
      'openssl',
      [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-keyout',
        keyFile,
        '-out',
        csr,
      ],
      quiet,
    );
    writeFileSync(extFile, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caFile,
        '-CAkey',
        caKey,
        '-CAcreateserial',
        '-days',
        '30',
        '-extfile',
        extFile,
        '-out',
        certFile,
      ],
      quiet,
    );
    chmodSync(keyFile, 0o640);
  }
  return { caFile, certFile, keyFile };
}

export interface DemoBroker extends LocalServer {
  url: string;
  tlsUrl: string;
  caFile: string;
  publisher: { username: string; password: string };
  reader: { username: string; password: string };
}

/**
 * Start Mosquitto on loopback: a TLS listener and a plain one, no anonymous
 * clients, a publisher account and a read-only account for Weft.
 */
export async function startMosquitto(dir: string): Promise<DemoBroker> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const tlsPort = await freePort();
  const tls = makeTlsFiles(path.join(dir, 'tls'));
  const publisher = { username: 'demo-publisher', password: randomPassword() };
  const reader = { username: 'weft-harvester', password: randomPassword() };
  const passwordFile = path.join(dir, 'passwd');
  const aclFile = path.join(dir, 'acl');
  const configFile = path.join(dir, 'mosquitto.conf');
  const logFile = path.join(dir, 'mosquitto.log');

  writeFileSync(passwordFile, '', { mode: 0o600 });
  execFileSync('mosquitto_passwd', ['-b', passwordFile, publisher.username, publisher.password]);
  execFileSync('mosquitto_passwd', ['-b', passwordFile, reader.username, reader.password]);
  writeFileSync(
    aclFile,
    `user ${publisher.username}\ntopic readwrite #\n\nuser ${reader.username}\ntopic read #\n`,
  );
  writeFileSync(
    configFile,
    [
      'per_listener_settings false',
      'allow_anonymous false',
      `password_file ${passwordFile}`,
      `acl_file ${aclFile}`,
      'persistence false',
      `listener ${port} 127.0.0.1`,
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${tls.caFile}`,
      `certfile ${tls.certFile}`,
      `keyfile ${tls.keyFile}`,
      '',
    ].join('\n'),
  );

  // Mosquitto drops root privileges to its own user, which must read these files.
  const ids = userIds('mosquitto');
  if (ids !== undefined) {
    for (const file of [
      dir,
      passwordFile,
      aclFile,
      configFile,
      path.join(dir, 'tls'),
      tls.keyFile,
      tls.certFile,
      tls.caFile,
    ]) {
      chownSync(file, ids.uid, ids.gid);
    }
  }

  const server = startProcess('mosquitto', 'mosquitto', ['-c', configFile], logFile);
  await waitFor('Mosquitto', server.child, async () => canConnect(port), logFile);
  return {
    ...server,
    url: `mqtt://127.0.0.1:${port}`,
    tlsUrl: `mqtts://127.0.0.1:${tlsPort}`,
    caFile: tls.caFile,
    publisher,
    reader,
  };
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface DemoInflux extends LocalServer {
  url: string;
  admin: { username: string; password: string };
  reader: { username: string; password: string };
}

/** Start InfluxDB 1.x on loopback with authentication on, an admin and a read-only user. */
export async function startInfluxdb(dir: string, database: string): Promise<DemoInflux> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const rpcPort = await freePort();
  const configFile = path.join(dir, 'influxdb.conf');
  const logFile = path.join(dir, 'influxdb.log');
  writeFileSync(
    configFile,
    [
      // Usage reporting would send data to InfluxData; the demo stays on this machine.
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${path.join(dir, 'meta')}"`,
      '[data]',
      `  dir = "${path.join(dir, 'data')}"`,
      `  wal-dir = "${path.join(dir, 'wal')}"`,
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${port}"`,
      '  auth-enabled = true',
      '  log-enabled = false',
      '',
    ].join('\n'),
  );
  const server = startProcess('influxd', 'influxd', ['-config', configFile], logFile);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'InfluxDB',
    server.child,
    async () => (await fetch(`${url}/ping`)).status === 204,
    logFile,
  );

  const admin = { username: 'demo-admin', password: randomPassword() };
  const reader = { username: 'weft-reader', password: randomPassword() };
  // InfluxDB 1.x accepts the first admin user without credentials; every later statement needs them.
  await influxQuery(
    url,
    `CREATE USER "${admin.username}" WITH PASSWORD '${admin.password}' WITH ALL PRIVILEGES`,
  );
  await influxQuery(url, `CREATE DATABASE "${database}"`, admin);
  await influxQuery(
    url,
    `CREATE USER "${reader.username}" WITH PASSWORD '${reader.password}'`,
    admin,
  );
  await influxQuery(url, `GRANT READ ON "${database}" TO "${reader.username}"`, admin);
  return { ...server, url, admin, reader };
}

async function influxQuery(
  url: string,
  statement: string,
  auth?: { username: string; password: string },
): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  }
  const response = await fetch(`${url}/query`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ q: statement }).toString(),
  });
  const text = await response.text();
  if (!response.ok || text.includes('"error"')) {
    // The statement may contain a password: report only its first word.
    throw new Error(
      `InfluxDB rejected a ${statement.split(' ')[0] ?? ''} statement: HTTP ${response.status}`,
    );
  }
}

export interface DemoPostgres extends LocalServer {
  /** postgres:// URL of database `lab` without credentials. */
  url: string;
  caFile: string;
  reader: { username: string; password: string };
  /** Opens a TLS connection as the admin role to `database`; the caller ends it. */
  adminClient(database: string): Promise<Client>;
}

/** Finds initdb and postgres of the newest PostgreSQL from Debian's packages. */
function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is not installed: install Debian package postgresql (scripts/demo.sh does it as root)',
    );
  }
  return path.join(root, versions[0], 'bin');
}

/**
 * Starts PostgreSQL on loopback with TLS and password authentication only:
 * an admin role, database `lab`, and a read-only role for Weft. As root it
 * runs as the `postgres` user, because PostgreSQL refuses to run as root.
 */
export async function startPostgres(dir: string): Promise<DemoPostgres> {
  mkdirSync(dir, { recursive: true });
  const bin = postgresBinDir();
  const port = await freePort();
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const tls = makeTlsFiles(path.join(dir, 'tls'));
  const admin = { username: 'demo_admin', password: randomPassword() };
  const reader = { username: 'weft_reader', password: randomPassword() };
  const passwordFile = path.join(dir, 'admin.pw');
  writeFileSync(passwordFile, `${admin.password}\n`, { mode: 0o600 });

  const ids = userIds('postgres');
  if (process.getuid?.() === 0 && ids === undefined) {
    throw new Error('as root the demo runs PostgreSQL as user postgres, which does not exist');
  }
  if (ids !== undefined) {
    for (const file of [dir, passwordFile, path.join(dir, 'tls'), tls.keyFile, tls.certFile]) {
      chownSync(file, ids.uid, ids.gid);
    }
  }
  // PostgreSQL refuses a key file that others may read.
  chmodSync(tls.keyFile, 0o600);

  execFileSync(
    path.join(bin, 'initdb'),
    [
      '-D',
      dataDir,
      '-U',
      admin.username,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '-E',
      'UTF8',
      '--no-instructions',
    ],
    { stdio: 'ignore', ...(ids === undefined ? {} : { uid: ids.uid, gid: ids.gid }) },
  );

  const server = startProcess(
    'postgres',
    path.join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dir}`,
      '-c',
      'ssl=on',
      '-c',
      `ssl_cert_file=${tls.certFile}`,
      '-c',
      `ssl_key_file=${tls.keyFile}`,
    ],
    logFile,
    ids?.uid,
    ids?.gid,
  );

  const connectAdmin = async (database: string): Promise<Client> => {
    const client = new Client({
      host: '127.0.0.1',
      port,
      database,
      user: admin.username,
      password: admin.password,
      ssl: { ca: readFileSync(tls.caFile, 'utf8') },
    });
    await client.connect();
    return client;
  };
  await waitFor(
    'PostgreSQL',
    server.child,
    async () => {
      const client = await connectAdmin('postgres');
      await client.end();
      return true;
    },
    logFile,
  );

  const client = await connectAdmin('postgres');
  try {
    await client.query('CREATE DATABASE lab');
    // Role names are fixed identifiers; the password goes in as a quoted literal that
    // PostgreSQL's own format() builds, because CREATE ROLE takes no bound parameters.
    const { rows } = await client.query<{ statement: string }>(
      "SELECT format('CREATE ROLE weft_reader LOGIN PASSWORD %L', $1::text) AS statement",
      [reader.password],
    );
    await client.query(rows[0].statement);
  } finally {
    await client.end();
  }

  return {
    ...server,
    url: `postgres://${reader.username}@127.0.0.1:${port}/lab`,
    caFile: tls.caFile,
    reader,
    adminClient: connectAdmin,
  };
}
