import type { ConsigneeMessageKind, TemplateOverrides } from '../templates';

/** A retailer's notification settings as stored (`retailer_notification_settings`); absent means defaults. */
export interface NotificationSettings {
  /** Per kind, which consignee channels are on; unset channels follow the kind's default. */
  channels: Partial<Record<ConsigneeMessageKind, { email?: boolean; sms?: boolean }>>;
  branding: {
    name?: string;
    logoUrl?: string;
    primaryColor?: string;
    supportEmail?: string;
    supportPhone?: string;
    replyTo?: string;
  };
  /**
   * `consignee`: the consignee's own locale first (default); `destination`: the destination country's language
   * first; `fixed`: always `locale`. Each falls back through the country's chain, then English.
   */
  language: { policy?: 'consignee' | 'destination' | 'fixed'; locale?: string };
  sms_daily_cap: number;
  /** Where exception notices to the retailer go; none are sent without it. */
  retailer_email: string | null;
  template_overrides: TemplateOverrides;
}

export const DEFAULT_SMS_DAILY_CAP = 3;
