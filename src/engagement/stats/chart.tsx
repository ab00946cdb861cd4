/**
 * A line chart of one figure per day, drawn server-side as SVG: no script, no client library,
 * no inline styles (colours are presentation attributes, which the CSP allows). The pure
 * helpers (scale, ticks, labels) are exported for unit tests.
 */
import { dayStart } from "../counters/queries.ts";

export interface ChartPoint {
  /** UTC days since 1970 (see `dayOf`). */
  day: number;
  value: number;
}

export interface Scale {
  /** Top of the axis: a round number at or above the largest value. */
  max: number;
  step: number;
  ticks: number[];
}

/**
 * A y axis of whole, round steps (1, 2 or 5 times a power of ten) with about `target`
 * intervals. Counts are whole numbers, so a step is never below 1; an all-zero series still
 * gets an axis from 0 to 1.
 */
export function niceScale(maxValue: number, target = 5): Scale {
  if (!(maxValue > 0)) return { max: 1, step: 1, ticks: [0, 1] };
  const raw = maxValue / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normal = raw / magnitude;
  const factor = normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 5 ? 5 : 10;
  const step = Math.max(1, factor * magnitude);
  const max = Math.ceil(maxValue / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= max; v += step) ticks.push(v);
  return { max, step, ticks };
}

/**
 * Which of `count` days get a labelled tick: at most `maxTicks`, evenly spaced and anchored on
 * the last day (today is the one an author looks for).
 */
export function dayTicks(count: number, maxTicks = 6): number[] {
  if (count <= 0) return [];
  const step = Math.max(1, Math.ceil((count - 1) / Math.max(maxTicks - 1, 1)));
  const ticks: number[] = [];
  for (let i = count - 1; i >= 0; i -= step) ticks.unshift(i);
  return ticks;
}

const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

/** "23 Nov", or "23 Nov 2026" when asked to show the year. */
export function dayLabel(day: number, withYear = false): string {
  const d = new Date(dayStart(day));
  const text = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
  return withYear ? `${text} ${d.getUTCFullYear()}` : text;
}

/** ISO date of a day number: what tables, CSV and the chart's description use. */
export const isoDay = (day: number) => new Date(dayStart(day)).toISOString().slice(0, 10);

const WIDTH = 720;
const HEIGHT = 260;
const PAD = { left: 52, right: 28, top: 16, bottom: 40 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
const INK = "#505050";
const GRID = "#d6d3cc";
const LINE = "#8a1c1c";

const yearOf = (day: number) => new Date(dayStart(day)).getUTCFullYear();
const round = (n: number) => Math.round(n * 10) / 10;

/** Where each point goes on the drawing (exported so tests can check the geometry). */
export function plot(points: readonly ChartPoint[], scale: Scale) {
  const n = points.length;
  const x = (i: number) => round(PAD.left + (n <= 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1)));
  const y = (v: number) => round(PAD.top + PLOT_H - (v / scale.max) * PLOT_H);
  return { x, y };
}

/** One sentence saying what the chart shows, for its `<desc>` (screen readers read it). */
export function describeSeries(points: readonly ChartPoint[], unit: string): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return `No ${unit} to show.`;
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const peak = points.reduce((best, p) => (p.value > best.value ? p : best), first);
  const range = `From ${isoDay(first.day)} to ${isoDay(last.day)}`;
  if (total === 0) return `${range}: no ${unit}.`;
  return `${range}: ${total.toLocaleString("en-US")} ${unit} in total, at most ${peak.value.toLocaleString("en-US")} on one day (${isoDay(peak.day)}).`;
}

export function DailyChart(props: {
  points: readonly ChartPoint[];
  /** The accessible name, e.g. "Hits per day, last 30 days, all works". */
  title: string;
  /** The figure in words, plural ("hits"), for the description. */
  unit: string;
  /** Prefix of the ids the title and description get (one chart per id on a page). */
  id: string;
}) {
  const { points, id } = props;
  const scale = niceScale(Math.max(0, ...points.map((p) => p.value)));
  const { x, y } = plot(points, scale);
  const bottom = PAD.top + PLOT_H;
  const ticks = dayTicks(points.length);
  const line = points.map((p, i) => `${x(i)},${y(p.value)}`).join(" ");
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="stats-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{describeSeries(points, props.unit)}</desc>
      <g class="grid" stroke={GRID} stroke-width="1">
        {scale.ticks.map((v) => (
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} />
        ))}
      </g>
      <g class="y-axis" fill={INK} font-size="12" text-anchor="end">
        {scale.ticks.map((v) => (
          <text x={PAD.left - 8} y={y(v) + 4}>
            {v.toLocaleString("en-US")}
          </text>
        ))}
      </g>
      <g class="x-axis" fill={INK} font-size="12" text-anchor="middle">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={bottom} y2={bottom} stroke={INK} />
        {ticks.map((i, k) => {
          const point = points[i]!;
          const previous = k > 0 ? points[ticks[k - 1]!] : undefined;
          // The year shows on the first label and wherever it changes.
          const withYear = !previous || yearOf(previous.day) !== yearOf(point.day);
          return (
            <g>
              <line x1={x(i)} x2={x(i)} y1={bottom} y2={bottom + 5} stroke={INK} />
              <text x={x(i)} y={bottom + 20}>
                {dayLabel(point.day, withYear)}
              </text>
            </g>
          );
        })}
      </g>
      <polyline
        class="series"
        fill="none"
        stroke={LINE}
        stroke-width="2"
        stroke-linejoin="round"
        points={line}
      />
    </svg>
  );
}
