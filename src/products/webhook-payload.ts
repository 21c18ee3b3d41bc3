import type { DataProductAlertEntity } from './entities/data-product-alert.entity';
import type { DataProductEntity } from './entities/data-product.entity';

/** The JSON body posted for one alert; documented field by field in docs/data-products.md. */
export interface AlertPayload {
  event: 'data-product.contract-breach';
  alert: string;
  detectedAt: string;
  product: { id: string; key: string; title: string; owner: { name: string; kind: string } };
  dataset: { id: string };
  breach: { kind: string; field: string | null; expected: string | null; actual: string | null };
  run: { id: string };
}

export function alertPayload(
  product: DataProductEntity,
  alert: DataProductAlertEntity,
): AlertPayload {
  return {
    event: 'data-product.contract-breach',
    alert: alert.id,
    detectedAt: alert.detectedAt.toISOString(),
    product: {
      id: product.pid,
      key: product.key,
      title: product.title,
      owner: { name: product.ownerName, kind: product.ownerKind },
    },
    dataset: { id: alert.datasetPid },
    breach: {
      kind: alert.breach,
      field: alert.field,
      expected: alert.expected,
      actual: alert.actual,
    },
    run: { id: alert.runPid },
  };
}
