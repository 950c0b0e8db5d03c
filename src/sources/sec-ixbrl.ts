// Inline-XBRL primary documents (10-Q/10-K on sec.gov/Archives): shares outstanding as tagged on the cover page.
import * as cheerio from 'cheerio';
import { PayloadError } from '../errors.js';
import { type IsoDate, isValidDate } from '../time.js';
import { assertPlausible, BOUNDS, type Bounds, type PayloadContext } from './validate.js';

export const SOURCE = 'sec';

export const SHARES_BOUNDS: Bounds = BOUNDS.shares;

const CONCEPT = 'dei:EntityCommonStockSharesOutstanding';

export interface CoverShares {
  readonly as_of: IsoDate;
  readonly shares: number;
  /** Share classes summed (one fact per class context). */
  readonly classes: number;
}

interface Tag {
  readonly name: string;
  readonly attribs: Readonly<Record<string, string>>;
}

/** Attribute by name, ignoring case (HTML parsers lowercase `contextRef`, XML parsers keep it). */
function attr(el: Tag, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(el.attribs)) if (k.toLowerCase() === want) return v;
  return undefined;
}

const isTag = (n: object): n is Tag => 'name' in n && 'attribs' in n;
const localName = (el: Tag) => el.name.toLowerCase().replace(/^.*:/, '');

const DOT_DECIMAL = new Set(['numdotdecimal', 'numcommadot', 'numspacedot']);
const COMMA_DECIMAL = new Set(['numcommadecimal', 'numdotcomma', 'numspacecomma', 'numcomma']);
const ZERO = new Set(['fixedzero', 'zerodash', 'nocontent']);
const ZERO_WORDS = new Set(['no', 'none', 'nil', 'zero']);

/** The displayed number under an ixt/ixt-sec transform, before `scale` and `sign`, as a decimal string. */
export function ixNumber(text: string, format: string | undefined, ctx: PayloadContext): string {
  const fmt = (format ?? 'ixt:num-dot-decimal').toLowerCase().replace(/^.*:/, '').replace(/-/g, '');
  const t = text.trim();
  if (ZERO.has(fmt)) return '0';
  if (fmt.startsWith('numword')) {
    if (ZERO_WORDS.has(t.toLowerCase())) return '0';
    throw new PayloadError(ctx.source, ctx.url, `${CONCEPT} written in words ("${t}") is not supported`);
  }
  let digits: string;
  if (DOT_DECIMAL.has(fmt)) digits = t.replace(/[,\s\u00a0']/g, '');
  else if (COMMA_DECIMAL.has(fmt)) digits = t.replace(/[.\s\u00a0']/g, '').replace(',', '.');
  else
    throw new PayloadError(
      ctx.source,
      ctx.url,
      `${CONCEPT} uses the transform "${format ?? ''}", which is not supported`,
    );
  if (!/^\d+(\.\d+)?$/.test(digits))
    throw new PayloadError(ctx.source, ctx.url, `${CONCEPT} "${t}" is not a number under ${format ?? 'no format'}`);
  return digits;
}

/**
 * Sums the cover page's EntityCommonStockSharesOutstanding facts, one per share class. Facts sharing a contextRef
 * are the same fact shown twice, not two classes. With several as-of dates, the newest one's classes are summed.
 */
export function parseCoverShares(html: string, ctx: PayloadContext): CoverShares {
  // XML mode: inline XBRL is XHTML, and an HTML parser would nest everything after a self-closed <ix:nonFraction/>.
  const $ = cheerio.load(html, { xml: true });
  const facts = $(`[name="${CONCEPT}"]`)
    .toArray()
    .filter((el) => localName(el) === 'nonfraction');
  if (facts.length === 0)
    throw new PayloadError(ctx.source, ctx.url, `no ${CONCEPT} on the cover page — layout changed?`);

  const instants = new Map<string, IsoDate>();
  for (const c of $('*').toArray()) {
    if (!isTag(c) || localName(c) !== 'context') continue;
    const id = attr(c, 'id');
    const instant = $(c)
      .find('*')
      .toArray()
      .find((e) => isTag(e) && localName(e) === 'instant');
    if (id && instant) instants.set(id, $(instant).text().trim());
  }

  const byContext = new Map<string, { as_of: IsoDate; shares: number }>();
  for (const el of facts) {
    if (attr(el, 'xsi:nil') === 'true') continue;
    const ref = attr(el, 'contextRef') ?? '';
    const as_of = instants.get(ref);
    if (as_of === undefined)
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `${CONCEPT} refers to context "${ref}", which has no xbrli:instant in the document`,
      );
    if (!isValidDate(as_of))
      throw new PayloadError(ctx.source, ctx.url, `context "${ref}" has the instant "${as_of}", not a date`);
    const scale = Number(attr(el, 'scale') ?? '0');
    if (!Number.isInteger(scale))
      throw new PayloadError(ctx.source, ctx.url, `${CONCEPT} has scale "${attr(el, 'scale') ?? ''}"`);
    const magnitude = Number(`${ixNumber($(el).text(), attr(el, 'format'), ctx)}e${scale}`); // exact: "12.5e6" is 12500000
    const shares = attr(el, 'sign') === '-' ? -magnitude : magnitude;
    const seen = byContext.get(ref);
    if (seen && seen.shares !== shares) {
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `${CONCEPT} in context "${ref}" is shown as both ${seen.shares} and ${shares}`,
      );
    }
    byContext.set(ref, { as_of, shares });
  }
  if (byContext.size === 0) throw new PayloadError(ctx.source, ctx.url, `every ${CONCEPT} on the cover page is nil`);

  const values = [...byContext.values()];
  const as_of = values.reduce((max, v) => (v.as_of > max ? v.as_of : max), ''); // ISO dates compare as strings
  const newest = values.filter((v) => v.as_of === as_of);
  const total = { as_of, shares: newest.reduce((s, v) => s + v.shares, 0), classes: newest.length };
  assertPlausible([{ date: total.as_of, value: total.shares }], SHARES_BOUNDS, ctx);
  return total;
}
