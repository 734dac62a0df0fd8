import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.ts';
import { FixedClock } from '../../platform/clock.ts';
import { type GrowthMonth, monthsEndingAt } from './read-subscription-growth.ts';
import { adminTestApp, insertSubscriber, signedIn } from './test-support.ts';
import { axisScale, CHART_COLOURS, GrowthChart, monthName } from './views/growth-chart.tsx';

// The growth chart is read back as XML: its accessible name and description, and the figures of
// the table that follows it, must match the data it was drawn from.

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  // Keep every element a list, so a chart with one bar reads like one with many.
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && !['svg', 'table', 'thead', 'tbody', 'tfoot', 'caption'].includes(name),
});

type Node = Record<string, unknown>;

interface ParsedChart {
  svg: Node;
  titleText: string;
  descText: string;
  rows: { month: string; confirmed: number; unsubscribed: number }[];
  total: { confirmed: number; unsubscribed: number };
}

const text = (node: unknown): string => {
  if (node === undefined || node === null) return '';
  if (typeof node !== 'object') return String(node);
  if (Array.isArray(node)) return node.map(text).join(' ');
  return Object.entries(node as Node)
    .filter(([key]) => !key.startsWith('@'))
    .map(([, value]) => text(value))
    .join(' ')
    .trim();
};
const count = (cell: unknown) => Number(text(cell).replaceAll(',', ''));

/** The chart's markup from a page or a fragment, parsed. */
function parseChart(html: string): ParsedChart {
  const svgMarkup = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + '</svg>'.length);
  const tableMarkup = html.slice(html.indexOf('<table class="usa-table usa-table--borderless usa-table--compact growth-table"'));
  const table = tableMarkup.slice(0, tableMarkup.indexOf('</table>') + '</table>'.length);
  const valid = XMLValidator.validate(svgMarkup);
  expect(valid, `${JSON.stringify(valid)} in ${svgMarkup.slice(0, 300)}`).toBe(true);
  const svg = (parser.parse(svgMarkup) as { svg: Node }).svg;
  const parsedTable = (parser.parse(table) as { table: Node }).table;
  const bodyRows = ((parsedTable.tbody as Node).tr as Node[]).map((tr) => {
    const cells = tr.td as unknown[];
    return { month: text((tr.th as unknown[])[0]), confirmed: count(cells[0]), unsubscribed: count(cells[1]) };
  });
  const footCells = (((parsedTable.tfoot as Node).tr as Node[])[0]!.td as unknown[]).map(count);
  return {
    svg,
    titleText: text((svg.title as unknown[])[0]),
    descText: text((svg.desc as unknown[])[0]),
    rows: bodyRows,
    total: { confirmed: footCells[0]!, unsubscribed: footCells[1]! },
  };
}

const growthMonths = fc
  .array(fc.record({ confirmed: fc.nat({ max: 5000 }), unsubscribed: fc.nat({ max: 5000 }) }), { minLength: 12, maxLength: 12 })
  .map((values) => monthsEndingAt(new Date('2026-11-15T00:00:00.000Z')).map((month, i): GrowthMonth => ({ month, ...values[i]! })));

describe('growth chart (SVG)', () => {
  it('is an image named by its title and described by its desc, and the table holds the same figures', () => {
    fc.assert(
      fc.property(growthMonths, (months) => {
        const chart = parseChart(renderToString(<GrowthChart months={months} />));
        expect(chart.svg['@role']).toBe('img');
        const [titleId, descId] = String(chart.svg['@aria-labelledby']).split(' ');
        expect((chart.svg.title as Node[])[0]!['@id']).toBe(titleId);
        expect((chart.svg.desc as Node[])[0]!['@id']).toBe(descId);
        expect(chart.titleText).toBe('Subscriber growth, December 2025 to November 2026');
        expect(chart.descText).toContain('from December 2025 to November 2026');
        expect(chart.rows).toEqual(
          months.map((m) => ({ month: monthName(m.month), confirmed: m.confirmed, unsubscribed: m.unsubscribed })),
        );
        const confirmed = months.reduce((sum, m) => sum + m.confirmed, 0);
        const unsubscribed = months.reduce((sum, m) => sum + m.unsubscribed, 0);
        expect(chart.total).toEqual({ confirmed, unsubscribed });
        if (confirmed + unsubscribed > 0)
          expect(chart.descText).toContain(
            `In total ${confirmed.toLocaleString('en-US')} confirmed and ${unsubscribed.toLocaleString('en-US')} unsubscribed.`,
          );
      }),
      { numRuns: 60 },
    );
  });

  it('draws one bar per non-zero figure, in proportion, solid for confirmed and striped for unsubscribed, with axis labels as text', () => {
    const months = monthsEndingAt(new Date('2026-11-15T00:00:00.000Z')).map((month, i) => ({
      month,
      confirmed: i * 10,
      unsubscribed: i % 3,
    }));
    const { svg } = parseChart(renderToString(<GrowthChart months={months} />));
    const rects = [] as Node[];
    const collect = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(collect);
      for (const [key, value] of Object.entries(node as Node)) {
        if (key === 'rect') for (const r of value as Node[]) rects.push(r);
        if (!key.startsWith('@')) collect(value);
      }
    };
    collect(svg.g);
    const confirmedBars = rects.filter((r) => String(r['@class']).includes('growth-chart__bar--confirmed'));
    const unsubscribedBars = rects.filter((r) => String(r['@class']).includes('growth-chart__bar--unsubscribed'));
    expect(confirmedBars).toHaveLength(11);
    expect(unsubscribedBars).toHaveLength(months.filter((m) => m.unsubscribed > 0).length);
    for (const bar of confirmedBars) expect(bar['@fill']).toBe(CHART_COLOURS.confirmed);
    for (const bar of unsubscribedBars) {
      expect(bar['@fill']).toBe('url(#growth-chart-stripes)');
      expect(bar['@stroke']).toBe(CHART_COLOURS.unsubscribed);
    }
    // Heights in proportion to the figures (the axis tops at 150 for a maximum of 110).
    expect(axisScale(110)).toEqual({ top: 150, step: 50 });
    const heights = confirmedBars.map((bar) => Number(bar['@height']));
    expect(heights[10]! / heights[0]!).toBeCloseTo(110 / 10, 1);
    // Each bar names its figure for pointer users (the table is what assistive technology reads).
    expect(text((confirmedBars[0]!.title as unknown[])[0])).toBe('January 2026: 10 confirmed');
    expect(text(svg.text)).toBe('People per month');
    const labels = text(svg.g).split(/\s+/);
    for (const word of ['Confirmed', 'Unsubscribed', 'Dec', '2025', 'Jan', '2026', 'Nov', '0', '50', '100', '150'])
      expect(labels).toContain(word);
  });

  it('scales the axis in steps of 1, 2 or 5 times a power of ten', () => {
    expect(axisScale(0)).toEqual({ top: 4, step: 1 });
    expect(axisScale(3)).toEqual({ top: 4, step: 1 });
    expect(axisScale(7)).toEqual({ top: 8, step: 2 });
    expect(axisScale(1000)).toEqual({ top: 1000, step: 500 });
    expect(axisScale(1001)).toEqual({ top: 1500, step: 500 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), (max) => {
        const { top, step } = axisScale(max);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(top / step).toBeLessThanOrEqual(8);
        expect(top / step).toBeGreaterThanOrEqual(2);
        expect(Number.isInteger(step)).toBe(true);
      }),
    );
  });
});

describeEachDatabase('growth chart on the subscribers page', ({ handle }) => {
  it('shows the last twelve months by the clock, months without a row as zero', async () => {
    const clock = new FixedClock(new Date('2026-03-20T12:00:00.000Z'));
    const { app, ctx } = await adminTestApp(handle(), { clock });
    const { browser } = await signedIn(app, ctx, 'publisher');
    const confirmations: [string, number][] = [
      ['2025-03-31T23:59:59.000Z', 4], // thirteen months back: outside the window
      ['2025-04-01T00:00:00.000Z', 2],
      ['2025-12-15T10:00:00.000Z', 3],
      ['2026-03-02T10:00:00.000Z', 1],
    ];
    let n = 0;
    for (const [at, times] of confirmations) {
      for (let i = 0; i < times; i++) await insertSubscriber(ctx.db, { email: `c${n++}@example.gov`, confirmedAt: at });
    }
    const leaver = await insertSubscriber(ctx.db, { email: 'leaver@example.gov', confirmedAt: '2026-01-03T10:00:00.000Z' });
    await ctx.db
      .updateTable('subscribers')
      .set({ status: 'unsubscribed', unsubscribed_at: '2026-02-10T10:00:00.000Z' })
      .where('id', '=', leaver)
      .execute();

    const page = await browser.get('/admin/subscribers');
    expect(page.statusCode).toBe(200);
    const chart = parseChart(page.body);
    expect(chart.titleText).toBe('Subscriber growth, April 2025 to March 2026');
    const expected = monthsEndingAt(clock.now()).map((month) => ({
      month: monthName(month),
      confirmed: { '2025-04': 2, '2025-12': 3, '2026-01': 1, '2026-03': 1 }[month] ?? 0,
      unsubscribed: month === '2026-02' ? 1 : 0,
    }));
    expect(chart.rows).toEqual(expected);
    expect(chart.total).toEqual({ confirmed: 7, unsubscribed: 1 });
    expect(chart.descText).toContain('The most confirmations were in December 2025 (3).');

    // In the next month the window moves with the clock (a new session: the first one has expired by then).
    clock.set(new Date('2026-04-01T00:00:00.000Z'));
    const later = parseChart((await (await signedIn(app, ctx, 'publisher')).browser.get('/admin/subscribers')).body);
    expect(later.rows[0]).toEqual({ month: 'May 2025', confirmed: 0, unsubscribed: 0 });
    expect(later.rows.at(-1)).toEqual({ month: 'April 2026', confirmed: 0, unsubscribed: 0 });
    expect(later.total).toEqual({ confirmed: 5, unsubscribed: 1 });
  });
});
