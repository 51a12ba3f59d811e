import { FixedClock } from '../../../common/clock/clock';
import { loadAppConfig } from '../../../config/app-config';
import { RecordingWebhookChannel } from '../channels/recording-channels';
import type { ClaimedMessage } from '../dispatch/message.repository';
import { WebhookDeliveryService } from './webhook-delivery.service';
import type { WebhookEndpointRepository, WebhookEndpointRow } from './webhook-endpoint.repository';
import type { WebhookEndpointsService } from './webhook-endpoints.service';

const T0 = new Date('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const ENDPOINT_ID = '6f1c2d9e-5b7a-4a0e-9c51-2b8f3e7d4a10';

function newTestService(endpoint: Partial<WebhookEndpointRow> | undefined, opts: { failingSince?: Date | null; secrets?: () => string[] } = {}) {
  const calls: string[] = [];
  const row = endpoint && ({ id: ENDPOINT_ID, retailer_id: 'r1', url: 'https://shop.example.com/hooks', status: 'enabled', ...endpoint } as WebhookEndpointRow);
  const repository = {
    find: async () => row,
    recordSuccess: async () => void calls.push('success'),
    recordFailure: async () => (calls.push('failure'), { status: row!.status, failing_since: opts.failingSince ?? T0 }),
    disableForFailures: async () => (calls.push('disable'), { endpoint: row!, notified: true }),
  } as unknown as WebhookEndpointRepository;
  const endpoints = { signingSecrets: opts.secrets ?? (() => ['whsec_new', 'whsec_old']) } as unknown as WebhookEndpointsService;
  const channel = new RecordingWebhookChannel();
  const clock = new FixedClock(T0);
  const sut = new WebhookDeliveryService(repository, endpoints, channel, clock, loadAppConfig({ WEBHOOK_DISABLE_AFTER_DAYS: '3' }));
  return { sut, mocks: { calls, channel, clock } };
}

const message = (payload: object = { webhookId: 'evt_1', body: '{"id":"evt_1"}', eventType: 'shipment.delivered' }): ClaimedMessage => ({
  id: 'm1',
  retailer_id: 'r1',
  shipment_id: null,
  channel: 'webhook',
  recipient: ENDPOINT_ID,
  template: 'shipment.delivered',
  payload: payload as Record<string, unknown>,
  attempts: 1,
  max_attempts: 12,
  lease_until: T0,
});

describe('WebhookDeliveryService.deliver', () => {
  it('sends the stored body with the delivery id and every current secret, and records the success', async () => {
    const { sut, mocks } = newTestService({});
    await expect(sut.deliver(message())).resolves.toEqual({ status: 'accepted', providerMessageId: 'wh-1' });
    expect(mocks.channel.sent).toEqual([{ url: 'https://shop.example.com/hooks', deliveryId: 'evt_1', secrets: ['whsec_new', 'whsec_old'], body: '{"id":"evt_1"}' }]);
    expect(mocks.calls).toEqual(['success']);
  });

  it.each([
    ['a deleted endpoint', undefined],
    ['a disabled endpoint', { status: 'disabled' as const }],
  ])('fails permanently with ENDPOINT_DISABLED for %s, sending nothing', async (_name, endpoint) => {
    const { sut, mocks } = newTestService(endpoint);
    await expect(sut.deliver(message())).resolves.toMatchObject({ status: 'failed', permanent: true, code: 'ENDPOINT_DISABLED' });
    expect(mocks.channel.sent).toHaveLength(0);
    expect(mocks.calls).toEqual([]);
  });

  it('fails permanently on an outbox row without a webhook id or body', async () => {
    const { sut, mocks } = newTestService({});
    await expect(sut.deliver(message({ body: '{}' }))).resolves.toMatchObject({ permanent: true, code: 'WEBHOOK_PAYLOAD_INVALID' });
    expect(mocks.channel.sent).toHaveLength(0);
  });

  it('retries when the secret cannot be opened, without counting it against the endpoint', async () => {
    const { sut, mocks } = newTestService({}, { secrets: () => { throw new Error('wrong key'); } });
    await expect(sut.deliver(message())).resolves.toMatchObject({ status: 'failed', permanent: false, code: 'SECRET_UNAVAILABLE' });
    expect(mocks.calls).toEqual([]);
  });

  it('records a failure, and disables the endpoint only once it has failed for the configured days', async () => {
    const failure = { status: 'failed' as const, permanent: false, code: 'HTTP_500', detail: 'x' };
    const recent = newTestService({}, { failingSince: new Date(T0.getTime() - 3 * DAY + 1) });
    recent.mocks.channel.willAnswer(failure);
    await recent.sut.deliver(message());
    expect(recent.mocks.calls).toEqual(['failure']);

    const long = newTestService({}, { failingSince: new Date(T0.getTime() - 3 * DAY) });
    long.mocks.channel.willAnswer(failure);
    await expect(long.sut.deliver(message())).resolves.toEqual(failure);
    expect(long.mocks.calls).toEqual(['failure', 'disable']);
  });
});
