import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import accepts from 'accepts';
import type { FastifyReply as Response, FastifyRequest as Request } from 'fastify';
import { AppError } from '../../../common/errors/app-error';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { AnswerSurveyDto, SurveyDto } from './surveys.dto';
import { SurveysService } from './surveys.service';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
fieldset{border:0;padding:0;margin:0 0 1.5rem}legend{font-weight:600;margin-bottom:.5rem}label{margin-right:.8rem;white-space:nowrap}
textarea{width:100%;min-height:5rem;font:inherit}small{color:#52606d}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:0;background:#1f6feb;color:#fff;cursor:pointer}</style></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;

const scale = (name: string, max: number) =>
  Array.from({ length: max }, (_, i) => `<label><input type="radio" name="${name}" value="${i + 1}" required> ${i + 1}</label>`).join('');

function form(s: SurveyDto): string {
  return page(
    `How was your delivery from ${s.retailerName}?`,
    `<form method="post">
<fieldset><legend>How satisfied are you with the delivery?</legend>${scale('csat', 5)}<br><small>1 = very unsatisfied, 5 = very satisfied</small></fieldset>
<fieldset><legend>How easy was it to get your parcel?</legend>${scale('ces', 7)}<br><small>1 = very little effort, 7 = a great deal of effort</small></fieldset>
<fieldset><legend><label for="comment">Anything else? (optional)</label></legend><textarea id="comment" name="comment" maxlength="1000"></textarea></fieldset>
<button type="submit">Send</button></form>`,
  );
}

const thanks = (s: SurveyDto) => page('Thank you!', `<p>Your answer helps ${escape(s.retailerName)} improve its deliveries.</p>`);

/**
 * The public survey page: HTML by default (a person follows the link), JSON when the client asks for it
 * with `Accept: application/json`. Errors keep their status either way; rate-limited per IP like every
 * public route.
 */
@ApiTags('consignee')
@Controller('v1/surveys')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Get(':token')
  @ApiOperation({ summary: 'The delivery survey behind the link in the delivered message (an HTML form, or JSON)' })
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({ type: SurveyDto, description: 'HTML form by default; this JSON with Accept: application/json' })
  @ApiErrors(404, 410)
  async show(@Param('token') token: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SurveyDto | string> {
    return respond(req, res, async () => this.surveys.describe(token), (s) => (s.status === 'answered' ? thanks(s) : form(s)));
  }

  @Post(':token')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer the delivery survey once: CSAT 1–5, CES 1–7 and an optional comment (JSON or a form post)' })
  @ApiProduces('text/html', 'application/json')
  @ApiOkResponse({ type: SurveyDto })
  @ApiErrors(400, 404, 409, 410)
  async answer(
    @Param('token') token: string,
    @Body() dto: AnswerSurveyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SurveyDto | string> {
    return respond(req, res, async () => this.surveys.answer(token, dto), thanks);
  }
}

async function respond(req: Request, res: Response, run: () => Promise<SurveyDto>, html: (s: SurveyDto) => string): Promise<SurveyDto | string> {
  if (accepts(req.raw).type(['html', 'json']) === 'json') return run();
  void res.type('text/html; charset=utf-8');
  try {
    return html(await run());
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    void res.status(error.status);
    return page(error.status === 409 ? 'Thank you!' : 'Survey unavailable', `<p>${escape(error.message)}</p>`);
  }
}
