import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import twilio from 'twilio';
import { HttpWebhookChannel } from '../../src/modules/notifications/channels/http-webhook.channel';
import { SmtpEmailChannel } from '../../src/modules/notifications/channels/smtp-email.channel';
import { mapTwilioStatus, TwilioSmsChannel } from '../../src/modules/notifications/channels/twilio-sms.channel';

const portOf = (server: { address(): AddressInfo | string | null }) => (server.address() as AddressInfo).port;

async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const close = (server?: Server) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

describe('email channel (nodemailer → a real SMTP server)', () => {
  const inbox: ParsedMail[] = [];
  const envelopes: Array<{ from: string; to: string[] }> = [];
  let rejectNext: number | undefined;
  let smtp: SMTPServer;
  let channel: SmtpEmailChannel;

  beforeAll(async () => {
    smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (rejectNext) {
          const code = rejectNext;
          rejectNext = undefined;
          return callback(Object.assign(new Error(`mailbox ${address.address} refused`), { responseCode: code }));
        }
        callback();
      },
      onData(stream, session, callback) {
        envelopes.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) });
        simpleParser(stream)
          .then((mail) => {
            inbox.push(mail);
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    channel = new SmtpEmailChannel(`smtp://127.0.0.1:${portOf(smtp.server)}?ignoreTLS=true`, 'Passage <updates@passage.test>');
  });
  afterAll(async () => {
    channel.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  it('delivers subject, both parts and headers, and returns the message id', async () => {
    const result = await channel.send({
      to: 'erika@example.com',
      subject: 'Ihr Paket ist unterwegs – Sendung PSG…',
      text: 'Ihr Paket ist unterwegs.',
      html: '<p>Ihr Paket ist <b>unterwegs</b>.</p>',
      replyTo: 'support@retailer.test',
      headers: { 'List-Unsubscribe': '<https://passage.test/u/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(result).toMatchObject({ status: 'accepted', providerMessageId: expect.stringMatching(/^<.+>$/) });
    const mail = inbox[inbox.length - 1];
    expect(mail.subject).toBe('Ihr Paket ist unterwegs – Sendung PSG…');
    expect(mail.text?.trim()).toBe('Ihr Paket ist unterwegs.');
    expect(mail.html).toContain('<b>unterwegs</b>');
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line;
    expect(header('list-unsubscribe')).toBe('List-Unsubscribe: <https://passage.test/u/abc>');
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.replyTo?.text).toBe('support@retailer.test');
    expect(mail.messageId).toBe(result.status === 'accepted' ? result.providerMessageId : undefined);
  });

  it("builds the Message-ID from the outbox message's id, so a retried send carries the same one, and sends the bare addresses as the envelope", async () => {
    const id = randomUUID();
    const first = await channel.send({ id, to: 'erika@example.com', subject: 'one', text: 't', html: '<p>h</p>' });
    const again = await channel.send({ id, to: 'erika@example.com', subject: 'one', text: 't', html: '<p>h</p>' });
    expect(first).toEqual({ status: 'accepted', providerMessageId: `<${id}@passage.test>` });
    expect(again).toEqual(first);
    const [a, b] = inbox.slice(-2);
    expect([a.messageId, b.messageId]).toEqual([`<${id}@passage.test>`, `<${id}@passage.test>`]);
    expect(envelopes.slice(-2)).toEqual([
      { from: 'updates@passage.test', to: ['erika@example.com'] },
      { from: 'updates@passage.test', to: ['erika@example.com'] },
    ]);
    expect(a.from?.value).toEqual([{ name: 'Passage', address: 'updates@passage.test' }]);
  });

  it('reports a 5xx refusal as permanent and a 4xx as worth retrying', async () => {
    rejectNext = 550;
    await expect(channel.send({ to: 'gone@example.com', subject: 's', text: 't', html: '<p>t</p>' })).resolves.toMatchObject({
      status: 'failed',
      permanent: true,
      code: 'SMTP_550',
    });
    rejectNext = 451;
    await expect(channel.send({ to: 'later@example.com', subject: 's', text: 't', html: '<p>t</p>' })).resolves.toMatchObject({
      status: 'failed',
      permanent: false,
      code: 'SMTP_451',
    });
  });

  it('reports an unreachable server as a failure worth retrying', async () => {
    const down = new SmtpEmailChannel('smtp://127.0.0.1:1?ignoreTLS=true', 'Passage <updates@passage.test>');
    try {
      await expect(down.send({ to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' })).resolves.toMatchObject({
        status: 'failed',
        permanent: false,
      });
    } finally {
      down.close();
    }
  });
});

describe('SMS channel (the twilio SDK → a local Twilio-compatible endpoint)', () => {
  const ACCOUNT = 'AC00000000000000000000000000000000';
  const TOKEN = 'test-auth-token';
  const received: { path: string; auth?: string; form: URLSearchParams }[] = [];
  let answer: { status: number; body: object } | undefined;
  let server: Server;

  beforeAll(async () => {
    server = await listen((req, body, res) => {
      received.push({ path: req.url ?? '', auth: req.headers.authorization, form: new URLSearchParams(body) });
      const reply = answer ?? { status: 201, body: { sid: `SM${String(received.length).padStart(32, '0')}`, status: 'queued' } };
      answer = undefined;
      res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  afterAll(() => close(server));
  const channel = (from = '+15005550006') =>
    new TwilioSmsChannel({ accountSid: ACCOUNT, authToken: TOKEN, from, apiBaseUrl: `http://127.0.0.1:${portOf(server)}` });

  it('posts To, From, Body and StatusCallback with Basic auth, and returns the message SID', async () => {
    const result = await channel().send({ to: '+4915123456789', body: 'Ihr Paket kommt heute. STOP zum Abmelden', statusCallbackUrl: 'https://passage.test/v1/webhooks/twilio/status' });
    expect(result).toEqual({ status: 'accepted', providerMessageId: expect.stringMatching(/^SM\d{32}$/) });
    const request = received[received.length - 1];
    expect(request.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
    expect(request.auth).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64')}`);
    expect(Object.fromEntries(request.form)).toEqual({
      To: '+4915123456789',
      From: '+15005550006',
      Body: 'Ihr Paket kommt heute. STOP zum Abmelden',
      StatusCallback: 'https://passage.test/v1/webhooks/twilio/status',
    });
  });

  it('sends through a Messaging Service when the sender is an MG SID', async () => {
    await channel('MG11111111111111111111111111111111').send({ to: '+4915123456789', body: 'x' });
    const form = received[received.length - 1].form;
    expect(form.get('MessagingServiceSid')).toBe('MG11111111111111111111111111111111');
    expect(form.has('From')).toBe(false);
  });

  it('treats an invalid number (21211) and an unsubscribed one (21610) as permanent, a server error as retryable', async () => {
    answer = { status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } };
    await expect(channel().send({ to: '+4915123456789', body: 'x' })).resolves.toMatchObject({ status: 'failed', permanent: true, code: 'TWILIO_21211' });
    answer = { status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 } };
    await expect(channel().send({ to: '+4915123456789', body: 'x' })).resolves.toMatchObject({ permanent: true, code: 'TWILIO_21610' });
    answer = { status: 503, body: { code: 20500, message: 'Service unavailable', status: 503 } };
    await expect(channel().send({ to: '+4915123456789', body: 'x' })).resolves.toMatchObject({ status: 'failed', permanent: false });
  });

  it('maps Twilio delivery statuses onto Passage statuses in one place', () => {
    expect(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'bogus'].map(mapTwilioStatus)).toEqual([
      'queued',
      'queued',
      'sent',
      'delivered',
      'undelivered',
      'failed',
      undefined,
    ]);
  });

  it('signs status callbacks the way twilio.validateRequest checks them', () => {
    // The inbound endpoint will rely on this SDK function: a changed parameter or URL must not validate.
    const url = 'https://passage.test/v1/webhooks/twilio/status';
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    const signature = createHmac('sha1', TOKEN)
      .update(url + Object.keys(params).sort().map((k) => k + params[k as keyof typeof params]).join(''))
      .digest('base64');
    expect(twilio.validateRequest(TOKEN, signature, url, params)).toBe(true);
    expect(twilio.validateRequest(TOKEN, signature, url, { ...params, MessageStatus: 'failed' })).toBe(false);
    expect(twilio.validateRequest(TOKEN, signature, `${url}?x=1`, params)).toBe(false);
  });
});

describe('webhook channel (signed HTTP POST → a local receiver)', () => {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let status = 200;
  let server: Server;
  beforeAll(async () => {
    server = await listen((req, body, res) => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  afterAll(() => close(server));

  /** An independent verifier, as a retailer would write it. */
  function verifies(secret: string, header: string, timestamp: string, body: string): boolean {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
    return header.split(',').some((part) => {
      const [version, hex] = part.split('=');
      const given = Buffer.from(hex ?? '', 'hex');
      return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
    });
  }

  it('posts the body with a stable delivery id and a signature that verifies under every current secret', async () => {
    const channel = new HttpWebhookChannel({ timeoutMs: 5_000, now: () => Date.UTC(2026, 10, 24, 12) });
    const body = JSON.stringify({ type: 'shipment.delivered', data: { trackingNumber: 'PSG…' } });
    const result = await channel.send({ url: `http://127.0.0.1:${portOf(server)}/hooks`, deliveryId: 'wh_123', secrets: ['old-secret', 'new-secret'], body });
    expect(result).toEqual({ status: 'accepted', providerMessageId: 'wh_123' });
    const { headers, body: got } = received[received.length - 1];
    expect(got).toBe(body);
    expect(headers['passage-webhook-id']).toBe('wh_123');
    expect(headers['passage-timestamp']).toBe(String(Date.UTC(2026, 10, 24, 12) / 1000));
    const signature = String(headers['passage-signature']);
    expect(verifies('old-secret', signature, String(headers['passage-timestamp']), got)).toBe(true);
    expect(verifies('new-secret', signature, String(headers['passage-timestamp']), got)).toBe(true);
    expect(verifies('another-secret', signature, String(headers['passage-timestamp']), got)).toBe(false);
    expect(verifies('new-secret', signature, String(headers['passage-timestamp']), `${got} `)).toBe(false);
  });

  it('retries server errors, gives up on 410 Gone, and retries an unreachable endpoint', async () => {
    const channel = new HttpWebhookChannel({ timeoutMs: 2_000 });
    const message = { url: `http://127.0.0.1:${portOf(server)}/hooks`, deliveryId: 'wh_1', secrets: ['s'], body: '{}' };
    status = 500;
    await expect(channel.send(message)).resolves.toMatchObject({ status: 'failed', permanent: false, code: 'HTTP_500' });
    status = 410;
    await expect(channel.send(message)).resolves.toMatchObject({ status: 'failed', permanent: true, code: 'HTTP_410' });
    status = 302; // a redirect is not followed: the endpoint must answer itself
    await expect(channel.send(message)).resolves.toMatchObject({ status: 'failed', permanent: false, code: 'HTTP_302' });
    status = 200;
    await expect(channel.send({ ...message, url: 'http://127.0.0.1:1/hooks' })).resolves.toMatchObject({ status: 'failed', permanent: false, code: 'NETWORK' });
  });

  it('gives up on an endpoint that does not answer within the timeout, to retry later', async () => {
    const silent = await listen(() => undefined); // reads the request, never answers
    try {
      const channel = new HttpWebhookChannel({ timeoutMs: 300 });
      await expect(channel.send({ url: `http://127.0.0.1:${portOf(silent)}/hooks`, deliveryId: 'wh_2', secrets: ['s'], body: '{}' })).resolves.toMatchObject({
        status: 'failed',
        permanent: false,
        code: 'TIMEOUT',
      });
    } finally {
      silent.closeAllConnections();
      await close(silent);
    }
  });

  it('in production, never connects to a non-public address, whether written literally or resolved from a name', async () => {
    const channel = new HttpWebhookChannel({ timeoutMs: 2_000, publicOnly: true });
    const before = received.length;
    const message = { deliveryId: 'wh_3', secrets: ['s'], body: '{}' };
    // `localhost` passes a literal-host check only by name; what it resolves to is refused at connection time.
    for (const url of [`http://localhost:${portOf(server)}/hooks`, `http://127.0.0.1:${portOf(server)}/hooks`, `http://[::ffff:127.0.0.1]:${portOf(server)}/hooks`]) {
      await expect(channel.send({ ...message, url })).resolves.toMatchObject({ status: 'failed', permanent: true, code: 'ENDPOINT_NOT_PUBLIC' });
    }
    expect(received.length).toBe(before);
    // The same receiver is reached when the check is off (outside production).
    await expect(new HttpWebhookChannel().send({ ...message, url: `http://localhost:${portOf(server)}/hooks` })).resolves.toMatchObject({ status: 'accepted' });
    expect(received.length).toBe(before + 1);
  });
});
