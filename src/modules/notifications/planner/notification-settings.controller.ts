import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';
import { CommonErrors } from '../../../common/errors/app-error';
import { ApiErrors } from '../../../common/http/error-responses.decorator';
import { IsBcp47Locale } from '../../../common/http/validators';
import { Auth, RetailerId } from '../../auth/principal';
import { MESSAGE_KINDS, validateTemplateOverride } from '../templates';
import { DEFAULT_SMS_DAILY_CAP, NotificationSettings } from './notification-settings';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

function isChannelMap(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([kind, channels]) =>
      (MESSAGE_KINDS as readonly string[]).includes(kind) &&
      kind !== 'retailer_exception' &&
      channels !== null &&
      typeof channels === 'object' &&
      Object.entries(channels).every(([c, on]) => (c === 'email' || c === 'sms') && typeof on === 'boolean'),
  );
}

export class BrandingDto {
  @ApiPropertyOptional({ example: 'Acme Outdoor' }) @IsOptional() @Transform(trim) @IsString() @MaxLength(100) name?: string;
  @ApiPropertyOptional({ example: 'https://acme.example/logo.png' }) @IsOptional() @IsUrl({ protocols: ['https'], require_protocol: true }) logoUrl?: string;
  @ApiPropertyOptional({ example: '#0b6e4f' }) @IsOptional() @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour like #0b6e4f' }) primaryColor?: string;
  @ApiPropertyOptional({ example: 'help@acme.example' }) @IsOptional() @IsEmail() supportEmail?: string;
  @ApiPropertyOptional({ example: '+4930123456' }) @IsOptional() @IsString() @MaxLength(40) supportPhone?: string;
  @ApiPropertyOptional({ example: 'help@acme.example', description: 'Reply-To of consignee emails' }) @IsOptional() @IsEmail() replyTo?: string;
}

export class LanguagePolicyDto {
  @ApiPropertyOptional({ enum: ['consignee', 'destination', 'fixed'], default: 'consignee' })
  @IsOptional() @IsIn(['consignee', 'destination', 'fixed']) policy?: 'consignee' | 'destination' | 'fixed';
  @ApiPropertyOptional({ example: 'en', description: 'For `fixed`' }) @IsOptional() @IsBcp47Locale() locale?: string;
}

export class UpdateNotificationSettingsDto {
  @ApiPropertyOptional({ example: { in_transit: { email: false }, delivered: { sms: true } }, description: 'Per message kind, which consignee channels are on' })
  @IsOptional()
  @ValidateBy({ name: 'isChannelMap', validator: { validate: isChannelMap, defaultMessage: () => 'must map consignee message kinds to { email?: boolean, sms?: boolean }' } })
  channels?: NotificationSettings['channels'];

  @ApiPropertyOptional({ type: BrandingDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => BrandingDto) branding?: BrandingDto;
  @ApiPropertyOptional({ type: LanguagePolicyDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => LanguagePolicyDto) language?: LanguagePolicyDto;

  @ApiPropertyOptional({ example: 3, description: 'At most this many SMS per shipment per consignee-local day (critical ones excepted)' })
  @IsOptional() @IsInt() @Min(0) @Max(50) smsDailyCap?: number;

  @ApiPropertyOptional({ example: 'ops@acme.example', nullable: true, description: 'Where exception notices go; null stops them' })
  @IsOptional() @IsEmail() retailerEmail?: string | null;

  @ApiPropertyOptional({ example: { de: { delivered: { subject: 'Ihr Paket von {{brand.retailerName}} ist da' } } }, description: 'Replacement strings per locale and kind (Handlebars, strict)' })
  @IsOptional() @IsObject() templateOverrides?: NotificationSettings['template_overrides'];
}

export class NotificationSettingsDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) channels: object;
  @ApiProperty({ type: BrandingDto }) branding: BrandingDto;
  @ApiProperty({ type: LanguagePolicyDto }) language: LanguagePolicyDto;
  @ApiProperty({ example: 3 }) smsDailyCap: number;
  @ApiPropertyOptional({ nullable: true }) retailerEmail: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) templateOverrides: object;
}

interface Row {
  channels: NotificationSettings['channels'];
  branding: NotificationSettings['branding'];
  language: NotificationSettings['language'];
  sms_daily_cap: number;
  retailer_email: string | null;
  template_overrides: NotificationSettings['template_overrides'];
}

const toDto = (r: Row | undefined): NotificationSettingsDto => ({
  channels: r?.channels ?? {},
  branding: r?.branding ?? {},
  language: { policy: 'consignee', ...(r?.language ?? {}) },
  smsDailyCap: r?.sms_daily_cap ?? DEFAULT_SMS_DAILY_CAP,
  retailerEmail: r?.retailer_email ?? null,
  templateOverrides: r?.template_overrides ?? {},
});

@ApiTags('retailer settings')
@ApiBearerAuth('retailer')
@Auth('retailer')
@Controller('v1/retailer/notification-settings')
export class NotificationSettingsController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Which milestones go to which channel, branding, language policy, SMS cap and template overrides' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors(401, 403)
  async get(@RetailerId() retailerId: string): Promise<NotificationSettingsDto> {
    const [row] = await this.db.query(`SELECT * FROM retailer_notification_settings WHERE retailer_id = $1`, [retailerId]);
    return toDto(row);
  }

  @Patch()
  @ApiOperation({ summary: 'Change your notification settings (fields given replace the stored ones)' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors(400, 401, 403)
  async update(@RetailerId() retailerId: string, @Body() dto: UpdateNotificationSettingsDto): Promise<NotificationSettingsDto> {
    if (dto.templateOverrides !== undefined) {
      const issues = validateTemplateOverride(dto.templateOverrides, 'templateOverrides');
      if (issues.length > 0) throw CommonErrors.validation(issues);
    }
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const [row] = await this.db.query(
      `INSERT INTO retailer_notification_settings AS s (retailer_id, channels, branding, language, sms_daily_cap, retailer_email, template_overrides)
       VALUES ($1, coalesce($2::jsonb, '{}'), coalesce($3::jsonb, '{}'), coalesce($4::jsonb, '{}'), coalesce($5, 3), $6, coalesce($7::jsonb, '{}'))
       ON CONFLICT (retailer_id) DO UPDATE SET
         channels = coalesce($2::jsonb, s.channels), branding = coalesce($3::jsonb, s.branding), language = coalesce($4::jsonb, s.language),
         sms_daily_cap = coalesce($5, s.sms_daily_cap),
         retailer_email = CASE WHEN $8 THEN $6 ELSE s.retailer_email END,
         template_overrides = coalesce($7::jsonb, s.template_overrides), updated_at = now()
       RETURNING *`,
      [retailerId, json(dto.channels), json(dto.branding), json(dto.language), dto.smsDailyCap ?? null, dto.retailerEmail ?? null, json(dto.templateOverrides), dto.retailerEmail !== undefined],
    );
    return toDto(row);
  }
}
