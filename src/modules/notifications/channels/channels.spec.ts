import { RecordingSmsChannel } from './recording-channels';
import { classifySmtpError } from './smtp-email.channel';
import { classifyTwilioError } from './twilio-sms.channel';

describe('channel outcome classification', () => {
  it.each([
    [{ responseCode: 550, message: 'no such user' }, true, 'SMTP_550'],
    [{ responseCode: 552, message: 'mailbox full' }, true, 'SMTP_552'],
    [{ responseCode: 421, message: 'try later' }, false, 'SMTP_421'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, false, 'SMTP_ECONNREFUSED'],
  ])('classifies SMTP error %j as permanent=%s (%s)', (error, permanent, code) => {
    expect(classifySmtpError(error)).toMatchObject({ status: 'failed', permanent, code });
  });

  it.each([
    [{ status: 400, code: 21211 }, true],
    [{ status: 400, code: 21610 }, true],
    [{ status: 429, code: 20429 }, false],
    [{ status: 503 }, false],
    [{ code: 'ECONNRESET' as unknown as number }, false],
  ])('classifies Twilio error %j as permanent=%s', (error, permanent) => {
    expect(classifyTwilioError(error)).toMatchObject({ status: 'failed', permanent });
  });
});

describe('RecordingSmsChannel', () => {
  it('records every message and answers with the scripted results, then accepts', async () => {
    const channel = new RecordingSmsChannel().willAnswer({ status: 'failed', permanent: true, code: 'TWILIO_21211', detail: 'bad number' });
    await expect(channel.send({ to: '+4915123456789', body: 'one' })).resolves.toMatchObject({ status: 'failed', code: 'TWILIO_21211' });
    await expect(channel.send({ to: '+4915123456789', body: 'two' })).resolves.toEqual({ status: 'accepted', providerMessageId: 'SM-2' });
    expect(channel.sent.map((m) => m.body)).toEqual(['one', 'two']);
  });
});
