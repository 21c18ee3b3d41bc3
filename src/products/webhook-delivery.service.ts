import { createHmac } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { resolveSecret } from '../sources/secrets';
import { DataProductAlertEntity } from './entities/data-product-alert.entity';
import { DataProductEntity } from './entities/data-product.entity';
import { alertPayload } from './webhook-payload';

/** Header with the HMAC-SHA256 of the raw request body, as `sha256=<hex>`. */
export const SIGNATURE_HEADER = 'X-Weft-Signature-256';
/** Delays before the second, third and fourth attempt; a fourth failure is final. */
const RETRY_DELAYS_MS = [1_000, 2_000, 4_000];
/** A receiver that takes longer than this to respond counts as a failed attempt. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Posts contract breach alerts to the webhook of each product, signed with
 * the product's secret, which is read from its environment variable or file
 * at each attempt and never stored or logged. Deliveries run in the
 * background: the harvest run that found the breach does not wait, and one
 * receiver that fails or hangs does not hold up the others.
 */
@Injectable()
export class WebhookDeliveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly dataSource: DataSource) {}

  /** Resume deliveries that a previous process left pending. */
  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.dataSource
      .getRepository(DataProductAlertEntity)
      .find({ where: { deliveryStatus: 'pending' }, select: { id: true } });
    if (pending.length > 0) {
      this.logger.log({ msg: 'resuming pending webhook deliveries', alerts: pending.length });
      this.enqueue(pending.map((alert) => alert.id));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Alerts whose delivery is cut short stay pending and are resumed at the next start.
    this.abort.abort();
    await this.idle();
  }

  /** Start delivering the alerts in the background; returns at once. */
  enqueue(alertIds: string[]): void {
    for (const alertId of alertIds) {
      const delivery = this.deliver(alertId).catch((error: unknown) => {
        this.logger.error({
          msg: 'webhook delivery failed unexpectedly',
          alertId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
      this.inFlight.add(delivery);
      void delivery.finally(() => this.inFlight.delete(delivery));
    }
  }

  /** Wait until every delivery started so far has ended (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private async deliver(alertId: string): Promise<void> {
    const alerts = this.dataSource.getRepository(DataProductAlertEntity);
    const alert = await alerts.findOne({ where: { id: alertId } });
    if (alert === null || alert.deliveryStatus !== 'pending') {
      return;
    }
    const product = await this.dataSource
      .getRepository(DataProductEntity)
      .findOne({ where: { id: alert.productId } });
    if (product === null || product.webhookUrl === null || product.webhookSecretRef === null) {
      await alerts.update({ id: alert.id }, { deliveryStatus: 'no-webhook' });
      return;
    }

    const body = JSON.stringify(alertPayload(product, alert));
    let attempts = alert.deliveryAttempts;
    let lastError: string | null = null;
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      if (this.abort.signal.aborted) {
        return;
      }
      if (attempt > 0) {
        await sleep(RETRY_DELAYS_MS[attempt - 1], this.abort.signal);
        if (this.abort.signal.aborted) {
          return;
        }
      }
      attempts += 1;
      lastError = await this.post(product, body, alert.id);
      await alerts.update(
        { id: alert.id },
        lastError === null
          ? {
              deliveryStatus: 'delivered',
              deliveryAttempts: attempts,
              deliveredAt: new Date(),
              deliveryError: null,
            }
          : { deliveryAttempts: attempts, deliveryError: lastError },
      );
      if (lastError === null) {
        this.logger.log({
          msg: 'webhook delivered',
          productPid: product.pid,
          alertId: alert.id,
          attempts,
        });
        return;
      }
      this.logger.warn({
        msg: 'webhook delivery attempt failed',
        productPid: product.pid,
        alertId: alert.id,
        attempt: attempts,
        error: lastError,
      });
    }
    await alerts.update({ id: alert.id }, { deliveryStatus: 'failed' });
    this.logger.error({
      msg: 'webhook delivery gave up',
      productPid: product.pid,
      alertId: alert.id,
      attempts,
      error: lastError,
    });
  }

  /** Send one POST and return null on a 2xx response, else the reason it failed. Redirects are not followed. */
  private async post(
    product: DataProductEntity,
    body: string,
    alertId: string,
  ): Promise<string | null> {
    let secret: string | undefined;
    try {
      secret = resolveSecret(
        product.webhookSecretRef ?? undefined,
        `data product ${product.key} webhook`,
      );
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    if (secret === undefined || secret === '') {
      return `data product ${product.key} webhook: the secret reference names no secret`;
    }

    const signature = createHmac('sha256', secret).update(body, 'utf8').digest('hex');
    try {
      const response = await fetch(product.webhookUrl ?? '', {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'weft-webhook/1',
          'X-Weft-Event': 'data-product.contract-breach',
          'X-Weft-Delivery': alertId,
          [SIGNATURE_HEADER]: `sha256=${signature}`,
        },
        body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) {
        return null;
      }
      return `the receiver responded with HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? `: ${cause.message}` : '';
      return `${error instanceof Error ? error.message : String(error)}${detail}`;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
