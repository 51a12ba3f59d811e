import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CommonErrors } from '../../common/errors/app-error';
import { ApiErrors } from '../../common/http/error-responses.decorator';

interface PreviewRow {
  id: string;
  channel: string;
  recipient: string;
  template: string;
  locale: string | null;
  status: string;
  payload: { subject?: string; text?: string; html?: string; body?: string };
  sms_segments: number | null;
  sms_encoding: string | null;
  sent_at: Date | null;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Without SMTP or Twilio (the embedded default), messages are "sent" to a preview: these endpoints show the
 * latest of them. Outside production only: in production they answer 404 like any unknown route.
 */
@ApiTags('development')
@Controller('v1/dev/messages')
export class DevMessagesController {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The latest previewed (not delivered) messages, newest first (non-production only)' })
  @ApiOkResponse({ description: 'Up to 100 messages with their rendered content' })
  @ApiErrors(404)
  async list() {
    return (await this.latest()).map((m) => ({
      id: m.id,
      channel: m.channel,
      to: m.recipient,
      kind: m.template,
      locale: m.locale,
      status: m.status,
      subject: m.payload.subject ?? null,
      text: m.payload.text ?? m.payload.body ?? null,
      html: m.payload.html ?? null,
      sms: m.channel === 'sms' ? { encoding: m.sms_encoding, segments: m.sms_segments } : null,
      sentAt: m.sent_at ? new Date(m.sent_at).toISOString() : null,
    }));
  }

  @Get('view')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'The same previews as a page to read in a browser (non-production only)' })
  @ApiOkResponse({ description: 'HTML' })
  @ApiErrors(404)
  async view(): Promise<string> {
    const items = (await this.latest())
      .map((m) => {
        const head = `<h2>${escape(m.channel)} · ${escape(m.template)} · ${escape(m.locale ?? '')} → ${escape(m.recipient)}</h2>`;
        if (m.channel === 'email') {
          return `<article>${head}<p><b>${escape(m.payload.subject ?? '')}</b></p><iframe sandbox srcdoc="${escape(m.payload.html ?? '')}"></iframe></article>`;
        }
        return `<article>${head}<pre>${escape(m.payload.body ?? '')}</pre><p>${escape(String(m.sms_encoding ?? ''))}, ${m.sms_segments ?? '?'} segment(s)</p></article>`;
      })
      .join('\n');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Passage message previews</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}iframe{width:100%;height:28rem;border:1px solid #ccd}article{border-bottom:1px solid #eee;padding:1rem 0}pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem}</style>
</head><body><h1>Message previews</h1><p>Not delivered: set SMTP_URL and the TWILIO_* settings to send for real.</p>${items || '<p>No messages yet.</p>'}</body></html>`;
  }

  private latest(): Promise<PreviewRow[]> {
    if (this.config.env === 'production') throw CommonErrors.routeNotFound();
    return this.db.query(
      `SELECT id, channel, recipient, template, locale, status, payload, sms_segments, sms_encoding, sent_at
         FROM messages WHERE provider_message_id LIKE 'preview-%' ORDER BY sent_at DESC NULLS LAST, id DESC LIMIT 100`,
    );
  }
}
