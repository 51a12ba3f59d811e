/**
 * The responsive email layout: table-based with inline styles, because Outlook and Gmail drop most of a
 * <style> block; the one media query only narrows padding on phones, and the layout reads fine without it.
 * Everything is `{{x}}` (escaped); colours and URLs were validated before they got here.
 */
export const EMAIL_HTML_LAYOUT = `<!DOCTYPE html>
<html lang="{{lang}}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>{{subject}}</title>
<style>
@media only screen and (max-width: 620px) {
  .container { width: 100% !important; }
  .content { padding: 24px 20px !important; }
}
</style>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;">{{preheader}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr>
<td align="center" style="padding:24px 8px;">
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" border="0" style="width:600px;max-width:600px;background-color:#ffffff;border-top:4px solid {{brand.primaryColor}};border-radius:6px;">
<tr>
<td class="content" style="padding:32px 40px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:24px;color:#111827;">
{{#if brand.logoUrl}}
<img src="{{brand.logoUrl}}" alt="{{brand.retailerName}}" height="40" style="display:block;height:40px;width:auto;max-width:220px;border:0;outline:none;text-decoration:none;">
{{else}}
<p style="margin:0;font-size:20px;line-height:28px;font-weight:bold;color:{{brand.primaryColor}};">{{brand.retailerName}}</p>
{{/if}}
<h1 style="margin:24px 0 16px;font-size:24px;line-height:32px;font-weight:bold;color:#111827;">{{heading}}</h1>
<p style="margin:0 0 16px;">{{greeting}}</p>
{{#each paragraphs}}
<p style="margin:0 0 16px;">{{this}}</p>
{{/each}}
{{#if cta}}
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0;">
<tr>
<td align="center" bgcolor="{{brand.primaryColor}}" style="border-radius:6px;background-color:{{brand.primaryColor}};">
<a href="{{cta.url}}" target="_blank" style="display:inline-block;padding:12px 24px;font-size:16px;line-height:24px;font-weight:bold;color:{{brand.onPrimaryColor}};text-decoration:none;border-radius:6px;">{{cta.label}}</a>
</td>
</tr>
</table>
<p style="margin:0 0 16px;font-size:14px;line-height:20px;color:#4b5563;">{{buttonFallback}}<br><a href="{{cta.url}}" target="_blank" style="color:{{brand.primaryColor}};word-break:break-all;">{{cta.url}}</a></p>
{{/if}}
{{#if trackingUrl}}
<p style="margin:0 0 16px;font-size:14px;line-height:20px;color:#4b5563;">{{trackingLink}}<br><a href="{{trackingUrl}}" target="_blank" style="color:{{brand.primaryColor}};word-break:break-all;">{{trackingUrl}}</a></p>
{{/if}}
<p style="margin:0;font-size:14px;line-height:20px;color:#4b5563;">{{trackingNumber}}</p>
</td>
</tr>
<tr>
<td style="padding:24px 40px;border-top:1px solid #e5e7eb;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:13px;line-height:20px;color:#6b7280;">
{{#if support}}
<p style="margin:0 0 8px;">{{support.line}}{{#if brand.supportEmail}}<br><a href="mailto:{{brand.supportEmail}}" style="color:#6b7280;">{{brand.supportEmail}}</a>{{/if}}{{#if brand.supportPhone}}<br><a href="{{brand.supportPhoneHref}}" style="color:#6b7280;">{{brand.supportPhone}}</a>{{/if}}</p>
{{/if}}
<p style="margin:0 0 8px;">{{footer}}</p>
{{#if unsubscribe}}
<p style="margin:0;"><a href="{{unsubscribe.url}}" target="_blank" style="color:#6b7280;">{{unsubscribe.label}}</a></p>
{{/if}}
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;
