/**
 * The plain-text part: same content and links as the HTML, nothing escaped (it is not HTML). Labels and
 * links sit on separate lines, so no separator has to follow each language's punctuation rules.
 */
export const EMAIL_TEXT_LAYOUT = `{{heading}}

{{greeting}}

{{#each paragraphs}}
{{this}}

{{/each}}
{{#if cta}}
{{cta.label}}
{{cta.url}}

{{/if}}
{{#if trackingUrl}}
{{trackingLink}} {{trackingUrl}}
{{/if}}
{{trackingNumber}}

--
{{#if support}}
{{support.line}}
{{#if brand.supportEmail}}
{{brand.supportEmail}}
{{/if}}
{{#if brand.supportPhone}}
{{brand.supportPhone}}
{{/if}}

{{/if}}
{{footer}}
{{#if unsubscribe}}
{{unsubscribe.label}}
{{unsubscribe.url}}
{{/if}}
`;
