import { Controller, Get, Header, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { AppError } from '../../../common/errors/app-error';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { linkSigningKey } from '../planner/link-signing-key';
import { verifyUnsubscribeToken } from '../planner/unsubscribe-token';
import { PreferencesRepository } from './preferences.repository';

const invalidLink = () => new AppError('UNSUBSCRIBE_LINK_INVALID', 404, 'This unsubscribe link is not valid.');

const page = (title: string, body: string, form = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#1f6feb;color:#fff;cursor:pointer}</style></head>
<body><h1>${title}</h1><p>${body}</p>${form}</body></html>`;

/**
 * One-click unsubscribe (RFC 8058): mail clients POST to the List-Unsubscribe URL; a person following the
 * link gets a page with a button (GET never changes anything, so link scanners cannot unsubscribe anyone).
 */
@ApiTags('consignee')
@Controller('v1/unsubscribe')
export class UnsubscribeController {
  constructor(
    private readonly preferences: PreferencesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'The unsubscribe page behind the link in every email' })
  @ApiOkResponse({ description: 'HTML' })
  @ApiErrors(404)
  confirm(@Param('token') token: string): string {
    if (!verifyUnsubscribeToken(linkSigningKey(this.config), token)) throw invalidLink();
    return page(
      'Stop parcel updates by email?',
      'You will no longer receive delivery updates by email from this shop.',
      `<form method="post"><button type="submit">Unsubscribe</button></form>`,
    );
  }

  @Post(':token')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiOperation({ summary: 'Unsubscribe at once (one-click, RFC 8058): messages still waiting are not sent' })
  @ApiOkResponse({ description: 'HTML' })
  @ApiErrors(400, 404)
  async unsubscribe(@Param('token') token: string): Promise<string> {
    const claim = verifyUnsubscribeToken(linkSigningKey(this.config), token);
    if (!claim) throw invalidLink();
    await this.preferences.set({ retailerIds: [claim.retailerId], channel: claim.channel, contactHash: claim.contactHash, optedOut: true, source: `${claim.channel}_unsubscribe` });
    return page('You are unsubscribed', 'You will no longer receive delivery updates by email from this shop.');
  }
}
