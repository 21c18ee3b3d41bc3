import {
  AttributeIds,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAClient,
  SecurityPolicy,
  UserTokenType,
} from 'node-opcua';
import type { ClientSession, OPCUAClientOptions, UserIdentityInfo } from 'node-opcua';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { OpcuaSourceConfig } from '../../sources/source-config.types';
import { resolveSecret } from '../../sources/secrets';
import { OpcuaAbortError, delay, withDeadline } from './opcua-deadline';
import { errorMessage } from './opcua-logger';
import type { OpcuaLogger } from './opcua-logger';

/** Limits of one connection; every wait is bounded by one of them. */
export interface OpcuaConnectionLimits {
  /** Deadline of one connect-and-create-session attempt. */
  connectTimeoutMs: number;
  /** Connection attempts per open, spaced by `retryDelayMs` doubling each time. */
  connectAttempts: number;
  retryDelayMs: number;
  /** Deadline of one service call (browse, read) including its continuation points. */
  requestTimeoutMs: number;
  /** Folder of the client's own certificate and of trusted and rejected server certificates. */
  pkiDirectory: string;
}

/** A connection loss that the one allowed reconnect did not repair. */
export class OpcuaConnectionError extends Error {
  override readonly name = 'OpcuaConnectionError';
}

/** A connection loss during a run, reported as an issue by the harvester. */
export interface OpcuaConnectionEvent {
  step: string;
  reason: string;
  recovered: boolean;
}

const NAMESPACE_ARRAY_NODE_ID = 'i=2255';

/**
 * One certificate manager per PKI folder and trust mode for the process,
 * because each one watches its folder.
 */
const certificateManagers = new Map<string, Promise<OPCUACertificateManager>>();

function certificateManagerFor(
  rootFolder: string,
  acceptUnknown: boolean,
): Promise<OPCUACertificateManager> {
  const key = `${acceptUnknown ? 'accept' : 'reject'}:${rootFolder}`;
  let manager = certificateManagers.get(key);
  if (manager === undefined) {
    const created = new OPCUACertificateManager({
      rootFolder,
      automaticallyAcceptUnknownCertificate: acceptUnknown,
    });
    manager = created.initialize().then(() => created);
    certificateManagers.set(key, manager);
  }
  return manager;
}

/** Reads a certificate file in PEM or DER form and returns its DER bytes. */
function readCertificateDer(file: string, owner: string): Buffer {
  try {
    return new X509Certificate(readFileSync(file)).raw;
  } catch (error) {
    throw new Error(
      `${owner}: serverCertificateFile ${file} is not a readable X.509 certificate (${errorMessage(error)}); export the server's certificate as PEM or DER`,
    );
  }
}

/**
 * One client and session to one server for one harvest run. A run may
 * reconnect once: `run()` re-checks the session before each step and after
 * a failed step, opens a new connection once, and then gives up with
 * OpcuaConnectionError. The server's NamespaceArray is re-read after every
 * connect, because a restarted server may have renumbered its namespaces.
 */
export class OpcuaConnection {
  private client: OPCUAClient | undefined;
  private session: ClientSession | undefined;
  private connectionLost = false;
  private reconnects = 0;
  private disposed = false;
  private namespaces: string[] = [];
  readonly events: OpcuaConnectionEvent[] = [];

  constructor(
    private readonly config: OpcuaSourceConfig,
    private readonly limits: OpcuaConnectionLimits,
    private readonly logger: OpcuaLogger,
    private readonly signal: AbortSignal,
  ) {}

  /** The server's NamespaceArray as read after the latest connect. */
  get namespaceArray(): readonly string[] {
    return this.namespaces;
  }

  /**
   * Connect with bounded retries. Throws OpcuaConnectionError naming the
   * number of attempts and the last error when every attempt failed.
   */
  async open(): Promise<void> {
    let lastError: unknown;
    let attempts = 0;

    for (let attempt = 1; attempt <= this.limits.connectAttempts && !this.disposed; attempt += 1) {
      attempts = attempt;
      try {
        await this.connectOnce();
        return;
      } catch (error) {
        lastError = error;
        await this.close();
        if (
          error instanceof OpcuaAbortError ||
          isPermanentRejection(error) ||
          attempt === this.limits.connectAttempts
        ) {
          break;
        }
        const wait = this.limits.retryDelayMs * 2 ** (attempt - 1);
        this.logger.warn(
          `OPC UA source ${this.config.id}: connect attempt ${attempt}/${this.limits.connectAttempts} to ` +
            `${this.config.endpointUrl} failed (${errorMessage(error)}); retrying in ${wait} ms`,
        );
        await delay(wait, this.signal);
      }
    }

    const reason = this.disposed ? 'the harvester was closed' : errorMessage(lastError);
    throw new OpcuaConnectionError(
      `after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`,
    );
  }

  /**
   * Run one step on the session. Before the step and after a failure the
   * session is re-checked; a lost connection is reopened once per run.
   */
  async run<T>(step: string, action: (session: ClientSession) => Promise<T>): Promise<T> {
    if (!this.isUsable()) {
      await this.recover(step, 'the session was no longer usable before the step');
    }

    try {
      return await this.attempt(step, action);
    } catch (error) {
      if (error instanceof OpcuaAbortError || (this.isUsable() && !isTransportFailure(error))) {
        throw error;
      }
      await this.recover(step, errorMessage(error));
      return this.attempt(step, action);
    }
  }

  /** Close for good: a later run() step fails instead of reconnecting. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.close();
  }

  /** Close the session and the connection; never throws. */
  async close(): Promise<void> {
    const session = this.session;
    const client = this.client;
    this.session = undefined;
    this.client = undefined;

    if (session !== undefined) {
      await withDeadline(session.close(true), this.limits.connectTimeoutMs, 'close session').catch(
        () => undefined,
      );
    }
    if (client !== undefined) {
      await withDeadline(client.disconnect(), this.limits.connectTimeoutMs, 'disconnect').catch(
        () => undefined,
      );
    }
  }

  private async attempt<T>(
    step: string,
    action: (session: ClientSession) => Promise<T>,
  ): Promise<T> {
    const session = this.session;
    if (session === undefined) {
      throw new OpcuaConnectionError(`no session for ${step}`);
    }
    return withDeadline(action(session), this.limits.requestTimeoutMs, step, this.signal);
  }

  private isUsable(): boolean {
    return (
      this.session !== undefined &&
      this.client !== undefined &&
      !this.connectionLost &&
      !this.client.isReconnecting
    );
  }

  private async recover(step: string, reason: string): Promise<void> {
    if (this.disposed) {
      throw new OpcuaConnectionError(
        `connection to ${this.config.endpointUrl} was closed by the harvester during ${step}`,
      );
    }
    if (this.reconnects >= 1) {
      this.events.push({ step, reason, recovered: false });
      throw new OpcuaConnectionError(
        `connection to ${this.config.endpointUrl} lost again during ${step} (${reason}) after one reconnect`,
      );
    }
    this.reconnects += 1;

    this.logger.warn(
      `OPC UA source ${this.config.id}: connection to ${this.config.endpointUrl} lost during ${step} ` +
        `(${reason}); reconnecting once`,
    );
    await this.close();

    try {
      await this.open();
    } catch (error) {
      this.events.push({ step, reason, recovered: false });
      throw new OpcuaConnectionError(
        `reconnect to ${this.config.endpointUrl} after losing it during ${step} failed: ${errorMessage(error)}`,
      );
    }

    this.events.push({ step, reason, recovered: true });
    this.logger.log(`OPC UA source ${this.config.id}: reconnected to ${this.config.endpointUrl}`);
  }

  private async connectOnce(): Promise<void> {
    this.connectionLost = false;
    const client = OPCUAClient.create(await this.clientOptions());
    this.client = client;

    // node-opcua raises these when the socket breaks; the next run() step checks the flag.
    client.on('connection_lost', () => this.markLost(client));
    client.on('close', () => this.markLost(client));

    const step = `connect to ${this.config.endpointUrl}`;
    await withDeadline(
      client.connect(this.config.endpointUrl),
      this.limits.connectTimeoutMs,
      step,
      this.signal,
    );

    const session = await withDeadline(
      client.createSession(this.userIdentity()),
      this.limits.connectTimeoutMs,
      `create session on ${this.config.endpointUrl}`,
      this.signal,
    );
    this.session = session;
    session.on('session_closed', () => this.markLost(client));

    this.namespaces = await this.readNamespaceArray(session);
  }

  private markLost(client: OPCUAClient): void {
    if (client === this.client) {
      this.connectionLost = true;
    }
  }

  private async readNamespaceArray(session: ClientSession): Promise<string[]> {
    const dataValue = await withDeadline(
      session.read({ nodeId: NAMESPACE_ARRAY_NODE_ID, attributeId: AttributeIds.Value }),
      this.limits.requestTimeoutMs,
      'read NamespaceArray',
      this.signal,
    );

    const value: unknown = dataValue.value.value;
    if (!Array.isArray(value) || !value.every((uri) => typeof uri === 'string')) {
      throw new Error(
        `the server's NamespaceArray (i=2255) is not a String array (status ${dataValue.statusCode.name})`,
      );
    }
    return value;
  }

  private async clientOptions(): Promise<OPCUAClientOptions> {
    const options: OPCUAClientOptions = {
      applicationName: 'Weft',
      endpointMustExist: false,
      securityMode: MessageSecurityMode[this.config.securityMode],
      securityPolicy: SecurityPolicy[this.config.securityPolicy],
      // Retries are ours (bounded, abortable). In node-opcua 2.186, maxRetry 0 connects exactly once.
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 1000 },
      transportTimeout: this.limits.requestTimeoutMs,
      requestedSessionTimeout: 60_000,
      keepSessionAlive: false,
      // Ask for English DisplayNames and Descriptions where the server has several locales.
      localeIds: ['en'],
    };

    const manager = await certificateManagerFor(
      this.limits.pkiDirectory,
      this.config.trustUnknownServerCertificate === true,
    );
    if (this.config.serverCertificateFile !== undefined) {
      await manager.trustCertificate(
        readCertificateDer(this.config.serverCertificateFile, `OPC UA source ${this.config.id}`),
      );
    }
    options.clientCertificateManager = manager;
    return options;
  }

  private userIdentity(): UserIdentityInfo {
    if (this.config.username === undefined) {
      return { type: UserTokenType.Anonymous };
    }

    const password = resolveSecret(this.config.password, `OPC UA source ${this.config.id}`) ?? '';
    return { type: UserTokenType.UserName, userName: this.config.username, password };
  }
}

/** Check whether the server rejected the identity or security settings, which a retry cannot change. */
function isPermanentRejection(error: unknown): boolean {
  return /BadUserAccessDenied|BadIdentityToken|BadSecurityPolicyRejected|BadSecurityModeRejected|BadCertificate/i.test(
    errorMessage(error),
  );
}

/** Check whether an error means the transport or session broke, as opposed to a bad request. */
function isTransportFailure(error: unknown): boolean {
  const message = errorMessage(error);
  return /timed out|socket|connection|closed|BadSession|BadSecureChannel|BadConnection|BadTimeout|BadCommunication|ECONNRESET|EPIPE|ECONNREFUSED/i.test(
    message,
  );
}
