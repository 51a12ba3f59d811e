import Handlebars from 'handlebars';
import { RequiredItem } from './message-kinds';
import {
  FormatContext,
  formatCountry,
  formatDate,
  formatDateRange,
  formatDateTime,
  formatItems,
  formatMoney,
  formatTimeRange,
} from './intl-formatters';

/**
 * Why Handlebars: it is maintained and ubiquitous (translators and retailers have seen `{{name}}`), it is
 * logic-less (strings can branch on a flag with `{{#if}}` but cannot run code, so a retailer override is
 * safe to compile), it escapes `{{x}}` for HTML by default, has `strict` mode (a missing variable throws
 * instead of printing nothing) and `knownHelpersOnly` (an unknown helper fails at compile time), and it
 * takes helpers and partials, which is where Intl formatting lives. It compiles to functions we cache.
 *
 * Catalog strings and overrides are compiled with `noEscape`: they produce plain text, which the email
 * layout escapes as a whole, so markup typed into a string (by a translator or a retailer) is shown, not run.
 */

export interface RenderData extends FormatContext {
  items: Record<RequiredItem, string>;
}

const HELPERS = {
  date: formatDate,
  dateTime: formatDateTime,
  dateRange: formatDateRange,
  timeRange: formatTimeRange,
  money: formatMoney,
  country: formatCountry,
} as const;

export const HELPER_NAMES = [...Object.keys(HELPERS), 'list'];

const env = Handlebars.create();
for (const [name, format] of Object.entries(HELPERS)) {
  env.registerHelper(name, function (value: unknown, options: Handlebars.HelperOptions) {
    return format(value, options.data as RenderData);
  });
}
env.registerHelper('list', function (value: unknown, options: Handlebars.HelperOptions) {
  const data = options.data as RenderData;
  return formatItems(value, data, data.items);
});

const knownHelpers = Object.fromEntries(HELPER_NAMES.map((n) => [n, true]));

const STRING_OPTIONS: CompileOptions = { strict: true, noEscape: true, knownHelpers, knownHelpersOnly: true, preventIndent: true };
const LAYOUT_HTML_OPTIONS: CompileOptions = { strict: true, knownHelpers, knownHelpersOnly: true };
const LAYOUT_TEXT_OPTIONS: CompileOptions = { ...LAYOUT_HTML_OPTIONS, noEscape: true };

// Catalog strings number a few thousand; overrides add per-retailer ones, so the cache is bounded.
const MAX_CACHED = 10_000;
const cache = new Map<string, Handlebars.TemplateDelegate>();

function compileCached(kind: 'string' | 'html' | 'text', source: string): Handlebars.TemplateDelegate {
  const key = `${kind}\u0000${source}`;
  let template = cache.get(key);
  if (!template) {
    const options = kind === 'string' ? STRING_OPTIONS : kind === 'html' ? LAYOUT_HTML_OPTIONS : LAYOUT_TEXT_OPTIONS;
    // precompile parses eagerly, so a syntax error or an unknown helper surfaces here, not at first use.
    env.precompile(source, options);
    template = env.compile(source, options);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, template);
  }
  return template;
}

/** Parses a string, throwing on syntax errors and unknown helpers. */
export function compileString(source: string): Handlebars.TemplateDelegate {
  return compileCached('string', source);
}

export function renderString(source: string, context: object, data: RenderData): string {
  return compileString(source)(context, { data });
}

export function renderLayout(kind: 'html' | 'text', source: string, context: object): string {
  return compileCached(kind, source)(context);
}

/** Handlebars error messages carry the position as " - line:column"; keep them short and value-free. */
export function describeTemplateError(error: unknown): string {
  if (!(error instanceof Error)) return 'the template could not be rendered';
  const message = error.message.split('\n');
  const first = message[0].replace(/ in \[object Object\]/, '');
  const notDefined = /^"([^"]+)" not defined(?: - (\d+):(\d+))?/.exec(first);
  if (notDefined) {
    return `unknown variable "${notDefined[1]}"${notDefined[2] ? ` at line ${notDefined[2]}, column ${Number(notDefined[3]) + 1}` : ''}`;
  }
  if (first.startsWith('Parse error')) return `syntax error: ${message.slice(1).join(' ').replace(/\s+/g, ' ').trim()}`;
  return first;
}
