import type { LoggerService } from '@nestjs/common';

/** The part of a Nest logger the OPC UA harvesters use; a Nest `Logger` fits. */
export type OpcuaLogger = Pick<LoggerService, 'log' | 'warn' | 'error'>;

/** Name and version recorded in provenance for the live harvester. */
export const OPCUA_HARVESTER_NAME = 'weft-opcua-harvester/0.1.0';

/** Name and version recorded in provenance for the NodeSet importer. */
export const NODESET_IMPORTER_NAME = 'weft-opcua-nodeset-importer/0.1.0';

/** Message of an unknown thrown value, for logs and issues. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
