import assert from "node:assert/strict";
import { test } from "node:test";
import { renderToString } from "preact-render-to-string";
import { dayOf } from "../counters/queries.ts";
import {
  DailyChart,
  dayLabel,
  dayTicks,
  describeSeries,
  isoDay,
  niceScale,
  plot,
} from "./chart.tsx";

test("the y scale uses round steps of 1, 2 or 5 and reaches the largest value", () => {
  assert.deepEqual(niceScale(0), { max: 1, step: 1, ticks: [0, 1] });
  assert.deepEqual(niceScale(3), { max: 3, step: 1, ticks: [0, 1, 2, 3] });
  assert.deepEqual(niceScale(7), { max: 8, step: 2, ticks: [0, 2, 4, 6, 8] });
  assert.deepEqual(niceScale(10), { max: 10, step: 2, ticks: [0, 2, 4, 6, 8, 10] });
  assert.deepEqual(niceScale(100).ticks, [0, 20, 40, 60, 80, 100]);
  assert.deepEqual(niceScale(1234), { max: 1500, step: 500, ticks: [0, 500, 1000, 1500] });
  for (const max of [1, 2, 9, 11, 49, 51, 999, 123_456]) {
    const s = niceScale(max);
    assert.ok(s.max >= max, `${max}: top ${s.max}`);
    assert.ok(s.ticks.length >= 2 && s.ticks.length <= 11, `${max}: ${s.ticks.length} ticks`);
    assert.ok(Number.isInteger(s.step) && s.step >= 1);
  }
});

test("day ticks: at most six, evenly spaced, always on the last day", () => {
  assert.deepEqual(
    dayTicks(30),
    [4, 10, 16, 22, 28].map((i) => i + 1),
  );
  assert.deepEqual(dayTicks(1), [0]);
  assert.deepEqual(dayTicks(0), []);
  assert.deepEqual(dayTicks(3), [0, 1, 2]);
  for (const n of [30, 90, 365]) {
    const ticks = dayTicks(n);
    assert.ok(ticks.length <= 6 && ticks.length >= 4, `${n}: ${ticks.length}`);
    assert.equal(ticks.at(-1), n - 1);
  }
});

test("labels and dates are UTC", () => {
  const day = dayOf(Date.UTC(2026, 10, 23, 23, 59));
  assert.equal(isoDay(day), "2026-11-23");
  assert.equal(dayLabel(day), "23 Nov");
  assert.equal(dayLabel(day, true), "23 Nov 2026");
});

test("points span the plot from left to right; zero sits on the axis, the top at the top", () => {
  const points = [0, 5, 10].map((value, i) => ({ day: 100 + i, value }));
  const { x, y } = plot(points, niceScale(10));
  assert.ok(x(0) < x(1) && x(1) < x(2));
  assert.ok(y(0) > y(5) && y(5) > y(10));
  assert.equal(y(5), (y(0) + y(10)) / 2);
});

test("the SVG has an accessible name, a description and one point per day", () => {
  const start = dayOf(Date.UTC(2026, 10, 1));
  const points = Array.from({ length: 30 }, (_, i) => ({ day: start + i, value: i % 4 }));
  const svg = renderToString(
    <DailyChart id="c" title="Hits per day & more" unit="hits" points={points} />,
  );
  assert.match(svg, /^<svg [^>]*role="img"[^>]*aria-labelledby="c-title"/);
  assert.match(svg, /<title id="c-title">Hits per day &amp; more<\/title>/);
  assert.match(
    svg,
    /<desc id="c-desc">From 2026-11-01 to 2026-11-30: 43 hits in total, at most 3 on one day \(2026-11-04\)/,
  );
  const line = /<polyline[^>]*points="([^"]+)"/.exec(svg)?.[1] ?? "";
  assert.equal(line.split(" ").length, 30);
  assert.doesNotMatch(svg, /style=/, "no inline styles (CSP)");
  assert.match(svg, />6 Nov 2026</, "the first label shows the year");
  assert.match(svg, />30 Nov</);
});

test("descriptions say when there is nothing to show", () => {
  assert.equal(describeSeries([], "hits"), "No hits to show.");
  assert.equal(
    describeSeries([{ day: dayOf(Date.UTC(2026, 0, 1)), value: 0 }], "kudos"),
    "From 2026-01-01 to 2026-01-01: no kudos.",
  );
});
