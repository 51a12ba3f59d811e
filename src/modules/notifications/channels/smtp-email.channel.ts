import { createTransport, Transporter } from 'nodemailer';
import { EmailChannel, OutboundEmail, SendResult } from './channel';

/** Email over SMTP with nodemailer's pooled transport. */
export class SmtpEmailChannel extends EmailChannel {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    super();
    // A pool of long-lived connections: reconnecting (and greeting) every 100 messages, nodemailer's default,
    // costs a round trip per message at volume. Any of these set in SMTP_URL's query wins.
    const url = new URL(smtpUrl);
    for (const [key, value] of [['pool', 'true'], ['maxConnections', '10'], ['maxMessages', '10000']]) {
      if (!url.searchParams.has(key)) url.searchParams.set(key, value);
    }
    this.transport = createTransport(url.toString());
  }

  async send(message: OutboundEmail): Promise<SendResult> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: message.to,
        replyTo: message.replyTo,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
      });
      return { status: 'accepted', providerMessageId: String(info.messageId) };
    } catch (error) {
      return classifySmtpError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** SMTP 5xx replies are permanent (the address or message is refused); 4xx and connection errors are not. */
export function classifySmtpError(error: unknown): SendResult {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  return {
    status: 'failed',
    permanent: responseCode !== undefined && responseCode >= 500,
    code: responseCode !== undefined ? `SMTP_${responseCode}` : `SMTP_${e.code ?? 'ERROR'}`,
    detail: String(e.message ?? error).slice(0, 300),
  };
}
