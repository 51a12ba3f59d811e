import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { Clock } from '../../../common/clock/clock';
import { EmailChannel, SendResult, SmsChannel } from '../channels/channel';
import { WebhookDeliveryService } from '../webhooks/webhook-delivery.service';
import { ClaimedMessage, MessageRepository, Outcome } from './message.repository';
import { retryDelayMs } from './retry-policy';

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  /** Outcomes not recorded because the lease had passed to another dispatcher. */
  lostLease: number;
}

/**
 * Sends what the planner decided, and only that: claim due messages under a lease, send each on its
 * channel, record the outcome. Transient failures come back later with backoff and jitter; permanent ones,
 * and the last attempt, go to the dead-letter state, from which an operator can redrive them.
 */
@Injectable()
export class DispatcherService {
  private readonly logger = new Logger(DispatcherService.name);

  constructor(
    private readonly messages: MessageRepository,
    private readonly email: EmailChannel,
    private readonly sms: SmsChannel,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    // Optional only so that dispatchers built by hand for email and SMS need not bring one.
    @Optional() private readonly webhooks?: WebhookDeliveryService,
  ) {}

  async dispatchOnce(): Promise<DispatchSummary> {
    const { batchSize, leaseSeconds } = this.config.notifications.dispatch;
    const claimed = await this.messages.claim(batchSize, this.clock.now(), leaseSeconds * 1000);
    const summary: DispatchSummary = { claimed: claimed.length, sent: 0, retried: 0, dead: 0, lostLease: 0 };
    const record = this.groupCommitter();
    await Promise.all(
      claimed.map(async (message) => {
        const result = await this.send(message);
        const at = this.clock.now();
        let outcome: Outcome;
        if (result.status === 'accepted') {
          outcome = { status: 'sent', providerMessageId: result.providerMessageId, at };
          summary.sent += 1;
        } else if (!result.permanent && message.attempts < message.max_attempts) {
          const nextAttemptAt = new Date(at.getTime() + retryDelayMs(message.channel, message.attempts));
          outcome = { status: 'pending', nextAttemptAt, code: result.code, detail: result.detail, at };
          summary.retried += 1;
        } else {
          outcome = { status: 'dead', code: result.code, detail: result.detail, at };
          summary.dead += 1;
          this.logger.warn({ messageId: message.id, channel: message.channel, code: result.code }, 'message dead-lettered');
        }
        if (!(await record(message, outcome))) summary.lostLease += 1;
      }),
    );
    return summary;
  }

  /**
   * Group commit: an outcome is written as soon as no write is in progress, and outcomes that arrive during
   * a write go together in the next one. Under load one statement records many sends; when idle each is
   * written at once, so the window between a provider's acceptance and its record stays one round trip.
   */
  private groupCommitter(): (message: ClaimedMessage, outcome: Outcome) => Promise<boolean> {
    const queue: Array<{ message: ClaimedMessage; outcome: Outcome; done: (kept: boolean) => void; failed: (e: unknown) => void }> = [];
    let writing = false;
    const drain = async () => {
      writing = true;
      while (queue.length > 0) {
        const batch = queue.splice(0);
        try {
          const kept = await this.messages.completeMany(batch);
          for (const b of batch) b.done(kept.has(b.message.id));
        } catch (error) {
          for (const b of batch) b.failed(error);
        }
      }
      writing = false;
    };
    return (message, outcome) =>
      new Promise<boolean>((done, failed) => {
        queue.push({ message, outcome, done, failed });
        if (!writing) void drain();
      });
  }

  private send(message: ClaimedMessage): Promise<SendResult> {
    const p = message.payload as { subject?: string; text?: string; html?: string; body?: string; statusCallbackUrl?: string; headers?: Record<string, string>; replyTo?: string };
    switch (message.channel) {
      case 'email':
        return this.email.send({ id: message.id, to: message.recipient, subject: p.subject ?? '', text: p.text ?? '', html: p.html ?? '', headers: p.headers, replyTo: p.replyTo });
      case 'sms':
        return this.sms.send({ to: message.recipient, body: p.body ?? '', statusCallbackUrl: p.statusCallbackUrl });
      case 'webhook':
        // The endpoint (id = recipient), its current secrets and its health: see WebhookDeliveryService.
        if (!this.webhooks) return Promise.resolve({ status: 'failed', permanent: true, code: 'WEBHOOK_UNSUPPORTED', detail: 'no webhook delivery configured' });
        return this.webhooks.deliver(message);
    }
  }
}
