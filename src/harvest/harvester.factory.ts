import { Injectable } from '@nestjs/common';

import type { SourceConfig } from '../sources/source-config.types';
import type { Harvester } from './harvest.types';

/**
 * Creates the harvester for a source's kind. Each harvester module is loaded
 * on first use, so a site without OPC UA sources never loads node-opcua
 * (tens of megabytes of resident memory). Tests replace the factory to
 * inject faults.
 */
@Injectable()
export class HarvesterFactory {
  async create(config: SourceConfig): Promise<Harvester> {
    switch (config.kind) {
      case 'mqtt': {
        const { MqttHarvester } = await import('./mqtt/mqtt.harvester');
        return new MqttHarvester(config);
      }
      case 'opcua': {
        const { OpcuaHarvester } = await import('./opcua/opcua.harvester');
        return new OpcuaHarvester(config);
      }
      case 'opcua-nodeset': {
        const { NodesetHarvester } = await import('./opcua/nodeset.harvester');
        return new NodesetHarvester(config);
      }
      case 'influxdb-v1': {
        const { InfluxV1Harvester } = await import('./influx/influxdb-v1.harvester');
        return new InfluxV1Harvester(config);
      }
      case 'influxdb-v2': {
        const { InfluxV2Harvester } = await import('./influx/influxdb-v2.harvester');
        return new InfluxV2Harvester(config);
      }
      case 'postgresql': {
        const { PostgresHarvester } = await import('./postgres/postgres.harvester');
        return new PostgresHarvester(config);
      }
    }
  }
}
