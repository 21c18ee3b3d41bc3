import { ACCESS_RIGHTS } from '../../linked-data/descriptions/controlled-vocabularies';
import type { MetricDefinition } from './fair-metric.types';
import { DCT, schemeOf, valuesOf } from './graph';
import { accessUrls } from './findable.metrics';
import { failed, passed } from './outcome';

/** URI schemes of standard protocols, with the standard, for the data links of distributions. */
const STANDARD_PROTOCOLS: Readonly<Record<string, string>> = {
  http: 'HTTP (RFC 9110)',
  https: 'HTTP over TLS (RFC 9110)',
  ftp: 'FTP (RFC 959)',
  sftp: 'SFTP (SSH File Transfer Protocol)',
  mqtt: 'MQTT (OASIS MQTT 3.1.1 and 5.0)',
  mqtts: 'MQTT over TLS (OASIS MQTT 3.1.1 and 5.0)',
  'opc.tcp': 'OPC UA TCP (IEC 62541-6)',
  'opc.https': 'OPC UA over HTTPS (IEC 62541-6)',
};

const ACCESS_RIGHT_IRIS = new Set(Object.values(ACCESS_RIGHTS).map((right) => right.iri));

export const ACCESSIBLE_METRICS: MetricDefinition[] = [
  {
    id: 'FsF-A1-01M',
    name: 'Metadata states the access level and conditions of the data',
    principle: 'A1',
    tests: [
      {
        id: 'FsF-A1-01M-1',
        name: 'Access rights are stated in the metadata',
        score: 0.5,
        check: (dataset) => {
          const rights = valuesOf(dataset.quads, dataset.pid, `${DCT}accessRights`);
          return rights.length === 0
            ? failed('the dataset has no dct:accessRights')
            : passed(`dct:accessRights ${rights.join(', ')}`);
        },
      },
      {
        id: 'FsF-A1-01M-2',
        name: 'Access rights are machine readable (a controlled vocabulary IRI)',
        score: 0.5,
        check: (dataset) => {
          const rights = valuesOf(dataset.quads, dataset.pid, `${DCT}accessRights`);
          const controlled = rights.filter((right) => ACCESS_RIGHT_IRIS.has(right));
          return controlled.length > 0
            ? passed(`${controlled.join(', ')} is a concept of the EU access right vocabulary`)
            : failed('no dct:accessRights from the EU access right vocabulary');
        },
      },
    ],
  },
  {
    id: 'FsF-A1-02M',
    name: 'Metadata is reachable through a standard protocol',
    principle: 'A1',
    tests: [
      {
        id: 'FsF-A1-02M-1',
        name: 'The landing page uses a standard web protocol',
        score: 1,
        check: (dataset) => {
          const scheme = schemeOf(dataset.landingPage);
          return scheme === 'http' || scheme === 'https'
            ? passed(
                `the landing page ${dataset.landingPage} is served over ${scheme.toUpperCase()}`,
              )
            : failed(`the landing page ${dataset.landingPage} uses scheme ${scheme ?? 'none'}`);
        },
      },
    ],
  },
  {
    id: 'FsF-A1-03D',
    name: 'Data is reachable through a standard protocol',
    principle: 'A1',
    tests: [
      {
        id: 'FsF-A1-03D-1',
        name: 'Every data link uses a standard protocol',
        score: 1,
        check: (dataset) => {
          const urls = accessUrls(dataset);
          if (urls.length === 0) {
            return failed('the metadata links to no data');
          }
          const evidence = urls.map((url) => {
            const protocol = STANDARD_PROTOCOLS[schemeOf(url) ?? ''];
            return protocol === undefined
              ? `${url} uses no standard network protocol`
              : `${url} uses ${protocol}`;
          });
          const standard = urls.every(
            (url) => STANDARD_PROTOCOLS[schemeOf(url) ?? ''] !== undefined,
          );
          return standard ? passed(...evidence) : failed(...evidence);
        },
      },
    ],
  },
  {
    id: 'FsF-A2-01M',
    name: 'Metadata stays available when the data is gone',
    principle: 'A2',
    tests: [
      {
        id: 'FsF-A2-01M-1',
        name: 'The identifier system keeps the metadata of withdrawn data',
        score: 1,
        check: (dataset) =>
          passed(
            `identifier ${dataset.pid} resolved through Weft's identifier registry, whose entries are never deleted or reused`,
            'a withdrawn dataset keeps answering at its identifier with 410 Gone and a tombstone: what it was, when and why it was withdrawn',
          ),
      },
    ],
  },
];
