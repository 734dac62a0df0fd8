import type { GrowthMonth } from '../read-subscription-growth.ts';

// The growth chart is drawn on the server as SVG: no script, no inline style (the CSP would block
// it), colours and lines as presentation attributes. It is an image to assistive technology (role
// "img" named by its <title> and <desc>), and the same figures follow it as a table, which is what
// screen-reader and keyboard users read.

const WIDTH = 720;
const HEIGHT = 330;
const PLOT = { left: 64, right: 12, top: 56, bottom: 56 };
const PLOT_WIDTH = WIDTH - PLOT.left - PLOT.right;
const PLOT_HEIGHT = HEIGHT - PLOT.top - PLOT.bottom;
const BASELINE = PLOT.top + PLOT_HEIGHT;

/** Colours with at least 3:1 contrast against the white page (USWDS blue-60v 7.2:1, red-70v 8.3:1, ink 17:1). */
export const CHART_COLOURS = { confirmed: '#005ea2', unsubscribed: '#b50909', ink: '#1b1b1b', axis: '#565c65', grid: '#dfe1e2' };

const IDS = { title: 'growth-chart-title', desc: 'growth-chart-desc', stripes: 'growth-chart-stripes' };

const number = (n: number) => n.toLocaleString('en-US');

function monthDate(month: string): Date {
  const [year, m] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (m ?? 1) - 1, 1));
}

/** "2026-03" → "March 2026". */
export function monthName(month: string): string {
  return monthDate(month).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const shortMonth = (month: string) => monthDate(month).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });

/** A y-axis top and step of 1, 2 or 5 × 10ⁿ, giving four or five gridlines above zero. */
export function axisScale(max: number): { top: number; step: number } {
  // Small counts keep a few whole-number gridlines rather than a single one at the top.
  if (max <= 4) return { top: 4, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalised = rough / magnitude;
  const step = Math.max(1, (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10) * magnitude);
  return { top: Math.ceil(max / step) * step, step };
}

/** The one-paragraph summary of the chart that its <desc> holds. */
export function growthSummary(months: GrowthMonth[]): string {
  const first = months[0];
  const last = months.at(-1);
  if (!first || !last) return 'No months to show.';
  const confirmed = months.reduce((sum, m) => sum + m.confirmed, 0);
  const unsubscribed = months.reduce((sum, m) => sum + m.unsubscribed, 0);
  const span = `from ${monthName(first.month)} to ${monthName(last.month)}`;
  const intro = `Bar chart of the people who confirmed a subscription (solid blue bars) and who unsubscribed (striped red bars) in each month ${span}.`;
  if (confirmed === 0 && unsubscribed === 0) return `${intro} Nobody confirmed or unsubscribed in these months.`;
  const peak = months.reduce((best, m) => (m.confirmed > best.confirmed ? m : best), first);
  const peakText = confirmed > 0 ? ` The most confirmations were in ${monthName(peak.month)} (${number(peak.confirmed)}).` : '';
  return `${intro} In total ${number(confirmed)} confirmed and ${number(unsubscribed)} unsubscribed.${peakText} The table below the chart lists every month.`;
}

function Bar(props: { x: number; width: number; value: number; top: number; kind: 'confirmed' | 'unsubscribed'; label: string }) {
  if (props.value <= 0) return null;
  // Even a count of one stays visible next to a count in the thousands.
  const height = Math.max(2, (props.value / props.top) * PLOT_HEIGHT);
  const confirmed = props.kind === 'confirmed';
  return (
    <rect
      x={props.x.toFixed(1)}
      y={(BASELINE - height).toFixed(1)}
      width={props.width.toFixed(1)}
      height={height.toFixed(1)}
      fill={confirmed ? CHART_COLOURS.confirmed : `url(#${IDS.stripes})`}
      stroke={confirmed ? 'none' : CHART_COLOURS.unsubscribed}
      stroke-width={confirmed ? undefined : '1.5'}
      class={`growth-chart__bar growth-chart__bar--${props.kind}`}
    >
      <title>{props.label}</title>
    </rect>
  );
}

/** The SVG chart of confirmations and unsubscribes per month. */
export function GrowthChartSvg({ months }: { months: GrowthMonth[] }) {
  const max = Math.max(0, ...months.map((m) => Math.max(m.confirmed, m.unsubscribed)));
  const { top, step } = axisScale(max);
  const ticks: number[] = [];
  for (let value = 0; value <= top; value += step) ticks.push(value);
  const groupWidth = PLOT_WIDTH / Math.max(1, months.length);
  const barWidth = Math.min(22, groupWidth * 0.32);
  const first = months[0]?.month ?? '';
  const last = months.at(-1)?.month ?? '';
  const yOf = (value: number) => BASELINE - (value / top) * PLOT_HEIGHT;

  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-labelledby={`${IDS.title} ${IDS.desc}`}
      class="growth-chart"
      font-size="14"
    >
      <title id={IDS.title}>{first ? `Subscriber growth, ${monthName(first)} to ${monthName(last)}` : 'Subscriber growth'}</title>
      <desc id={IDS.desc}>{growthSummary(months)}</desc>
      <defs>
        <pattern id={IDS.stripes} patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="#ffffff" />
          <rect width="3" height="6" fill={CHART_COLOURS.unsubscribed} />
        </pattern>
      </defs>

      <text x="0" y="18" fill={CHART_COLOURS.ink} font-weight="bold">
        People per month
      </text>
      <g class="growth-chart__legend">
        <rect x="360" y="6" width="16" height="16" fill={CHART_COLOURS.confirmed} />
        <text x="382" y="19" fill={CHART_COLOURS.ink}>
          Confirmed
        </text>
        <rect x="500" y="6" width="16" height="16" fill={`url(#${IDS.stripes})`} stroke={CHART_COLOURS.unsubscribed} stroke-width="1.5" />
        <text x="522" y="19" fill={CHART_COLOURS.ink}>
          Unsubscribed
        </text>
      </g>

      <g class="growth-chart__y-axis">
        {ticks.map((value) => (
          <>
            <line
              x1={PLOT.left}
              x2={WIDTH - PLOT.right}
              y1={yOf(value).toFixed(1)}
              y2={yOf(value).toFixed(1)}
              stroke={value === 0 ? CHART_COLOURS.axis : CHART_COLOURS.grid}
              stroke-width="1"
            />
            <text x={PLOT.left - 8} y={(yOf(value) + 5).toFixed(1)} text-anchor="end" fill={CHART_COLOURS.ink}>
              {number(value)}
            </text>
          </>
        ))}
      </g>

      <g class="growth-chart__bars">
        {months.map((m, i) => {
          const centre = PLOT.left + groupWidth * i + groupWidth / 2;
          const name = monthName(m.month);
          return (
            <g>
              <Bar
                kind="confirmed"
                x={centre - barWidth - 1}
                width={barWidth}
                value={m.confirmed}
                top={top}
                label={`${name}: ${number(m.confirmed)} confirmed`}
              />
              <Bar
                kind="unsubscribed"
                x={centre + 1}
                width={barWidth}
                value={m.unsubscribed}
                top={top}
                label={`${name}: ${number(m.unsubscribed)} unsubscribed`}
              />
              <text x={centre.toFixed(1)} y={BASELINE + 20} text-anchor="middle" fill={CHART_COLOURS.ink}>
                {shortMonth(m.month)}
              </text>
              {i === 0 || m.month.endsWith('-01') ? (
                <text x={centre.toFixed(1)} y={BASELINE + 38} text-anchor="middle" fill={CHART_COLOURS.ink}>
                  {m.month.slice(0, 4)}
                </text>
              ) : null}
            </g>
          );
        })}
      </g>
    </svg>
  );
}

/** The figures of the chart as a table, for everyone who does not read the picture. */
export function GrowthTable({ months }: { months: GrowthMonth[] }) {
  const confirmed = months.reduce((sum, m) => sum + m.confirmed, 0);
  const unsubscribed = months.reduce((sum, m) => sum + m.unsubscribed, 0);
  return (
    <table class="usa-table usa-table--borderless usa-table--compact growth-table">
      <caption class="text-left">Confirmed and unsubscribed per month (the figures in the chart)</caption>
      <thead>
        <tr>
          <th scope="col">Month</th>
          <th scope="col" class="text-right">
            Confirmed
          </th>
          <th scope="col" class="text-right">
            Unsubscribed
          </th>
        </tr>
      </thead>
      <tbody>
        {months.map((m) => (
          <tr>
            <th scope="row">{monthName(m.month)}</th>
            <td class="text-right">{number(m.confirmed)}</td>
            <td class="text-right">{number(m.unsubscribed)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td class="text-right">{number(confirmed)}</td>
          <td class="text-right">{number(unsubscribed)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** The growth section: the chart, then its table. */
export function GrowthChart({ months }: { months: GrowthMonth[] }) {
  return (
    <div class="margin-y-2">
      <GrowthChartSvg months={months} />
      <GrowthTable months={months} />
    </div>
  );
}
