/**
 * Charts as inline SVG, drawn on the server: no script, no external resources (the CSP stays 'self').
 * Every chart is an image with a name and a description (`role="img"`, `<title>`, `<desc>`); callers
 * put a data table next to it. Series differ by colour AND by marker shape and dash pattern, so they
 * can be told apart without colour. Presentation attributes only (no `style`), as the CSP forbids it.
 */

import type { Child } from "hono/jsx";

export interface SeriesStyle {
  /** ≥ 4.5:1 against white. */
  color: string;
  marker: "circle" | "square" | "triangle" | "diamond";
  /** SVG stroke-dasharray; "" for a solid line. */
  dash: string;
}

const INK = "#1b1f24";
const MUTED = "#555e68";
const GRID = "#dde2e6";
const AXIS = "#6b7580";

/**
 * Round tick steps (1, 2, 5 × 10ⁿ) from 0 to at least `max`, about `count` of them; whole steps only
 * when `integer` (counts).
 */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const nice = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power;
  const step = integer ? Math.max(1, nice) : nice;
  const ticks: number[] = [];
  for (let t = 0; t < max + step / 2 && ticks.length < 50; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Math.round(ticks.length * step * 1e6) / 1e6);
  return ticks;
}

export function Marker(p: { style: SeriesStyle; x: number; y: number; size?: number }) {
  const s = p.size ?? 3.5;
  const common = { fill: p.style.color, stroke: "#fff", "stroke-width": 1 };
  switch (p.style.marker) {
    case "circle":
      return <circle cx={p.x} cy={p.y} r={s} {...common} />;
    case "square":
      return <rect x={p.x - s} y={p.y - s} width={2 * s} height={2 * s} {...common} />;
    case "triangle":
      return (
        <path
          d={`M${p.x} ${p.y - s * 1.25}L${p.x + s * 1.2} ${p.y + s}L${p.x - s * 1.2} ${p.y + s}Z`}
          {...common}
        />
      );
    case "diamond":
      return (
        <path
          d={`M${p.x} ${p.y - s * 1.3}L${p.x + s * 1.3} ${p.y}L${p.x} ${p.y + s * 1.3}L${p.x - s * 1.3} ${p.y}Z`}
          {...common}
        />
      );
  }
}

/** A short stretch of a series' line with its marker: for legends. Decorative (the label is text). */
export function SeriesSwatch(p: { style: SeriesStyle }) {
  return (
    <svg width="36" height="14" viewBox="0 0 36 14" aria-hidden="true" focusable="false" class="swatch">
      <line
        x1="1"
        y1="7"
        x2="35"
        y2="7"
        stroke={p.style.color}
        stroke-width="2.5"
        stroke-dasharray={p.style.dash || undefined}
      />
      <Marker style={p.style} x={18} y={7} size={4} />
    </svg>
  );
}

/** The frame of every chart: an image named by its title and described by its description. */
function ChartFrame(p: {
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  fontSize: number;
  children: Child;
}) {
  return (
    <svg
      viewBox={`0 0 ${p.width} ${p.height}`}
      role="img"
      aria-labelledby={`${p.id}-title ${p.id}-desc`}
      class="chart-svg"
      font-size={String(p.fontSize)}
      font-family="system-ui, sans-serif"
    >
      <title id={`${p.id}-title`}>{p.title}</title>
      <desc id={`${p.id}-desc`}>{p.desc}</desc>
      {p.children}
    </svg>
  );
}

/**
 * A small line chart: one line per series over the same periods. `yMax` lets small multiples share
 * one scale. Markers are drawn while there are few enough points to keep them apart.
 */
export function LineChart(p: {
  id: string;
  title: string;
  desc: string;
  xLabels: readonly string[];
  xAxisLabel: string;
  yAxisLabel: string;
  yMax: number;
  formatY: (n: number) => string;
  series: readonly { name: string; style: SeriesStyle; values: readonly number[] }[];
}) {
  const W = 320;
  const H = 190;
  const ml = 40;
  const mr = 12;
  const mt = 10;
  const mb = 44;
  const plotW = W - ml - mr;
  const plotH = H - mt - mb;
  const n = p.xLabels.length;
  const ticks = niceTicks(p.yMax, 4, true);
  const top = ticks.at(-1) ?? 1;
  const x = (i: number) => ml + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => mt + plotH - (v / top) * plotH;
  const every = Math.max(1, Math.ceil(n / 5));
  const markers = n <= 26;
  return (
    <ChartFrame id={p.id} title={p.title} desc={p.desc} width={W} height={H} fontSize={11}>
      <g>
        {ticks.map((t) => (
          <g>
            <line x1={ml} x2={W - mr} y1={y(t)} y2={y(t)} stroke={t === 0 ? AXIS : GRID} stroke-width="1" />
            <text x={ml - 5} y={y(t)} text-anchor="end" dominant-baseline="middle" fill={MUTED}>
              {p.formatY(t)}
            </text>
          </g>
        ))}
      </g>
      <g>
        {p.xLabels.map((label, i) =>
          // Every `every`-th label, and the last one (ending at the plot's edge) unless too close.
          (i % every === 0 && n - 1 - i >= every / 2) || i === n - 1 ? (
            <g>
              <line x1={x(i)} x2={x(i)} y1={mt + plotH} y2={mt + plotH + 4} stroke={AXIS} />
              <text
                x={x(i)}
                y={mt + plotH + 15}
                text-anchor={n > 1 && i === n - 1 ? "end" : "middle"}
                fill={MUTED}
              >
                {label}
              </text>
            </g>
          ) : null,
        )}
      </g>
      <text x={ml + plotW / 2} y={H - 6} text-anchor="middle" fill={INK}>
        {p.xAxisLabel}
      </text>
      <text
        x={12}
        y={mt + plotH / 2}
        text-anchor="middle"
        fill={INK}
        transform={`rotate(-90 12 ${mt + plotH / 2})`}
      >
        {p.yAxisLabel}
      </text>
      {p.series.map((s) => (
        <g>
          {n > 1 && (
            <polyline
              points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}
              fill="none"
              stroke={s.style.color}
              stroke-width="2"
              stroke-linejoin="round"
              stroke-dasharray={s.style.dash || undefined}
            />
          )}
          {(markers || n === 1) && s.values.map((v, i) => <Marker style={s.style} x={x(i)} y={y(v)} />)}
        </g>
      ))}
    </ChartFrame>
  );
}

/**
 * Horizontal bars, one per item, each with its value written at its end. An item without a value
 * (null) shows `text` instead of a bar. Long labels are shortened in the drawing (the description and
 * the table beside the chart have them in full).
 */
export function BarChart(p: {
  id: string;
  title: string;
  desc: string;
  axisLabel: string;
  formatTick: (n: number) => string;
  /** Whole-number ticks (for counts). */
  integer?: boolean;
  items: readonly { label: string; value: number | null; text: string }[];
  color?: string;
}) {
  const W = 640;
  const labelW = 170;
  const mr = 90;
  const mt = 6;
  const rowH = 26;
  const axisH = 42;
  const plotW = W - labelW - mr;
  const H = mt + p.items.length * rowH + axisH;
  const max = Math.max(0, ...p.items.map((i) => i.value ?? 0));
  const ticks = niceTicks(max, 5, p.integer);
  const top = ticks.at(-1) ?? 1;
  const x = (v: number) => labelW + (v / top) * plotW;
  const plotBottom = mt + p.items.length * rowH;
  const color = p.color ?? "#0b5394";
  return (
    <ChartFrame id={p.id} title={p.title} desc={p.desc} width={W} height={H} fontSize={13}>
      {ticks.map((t) => (
        <g>
          <line x1={x(t)} x2={x(t)} y1={mt} y2={plotBottom} stroke={t === 0 ? AXIS : GRID} />
          <text x={x(t)} y={plotBottom + 15} text-anchor="middle" fill={MUTED} font-size="11">
            {p.formatTick(t)}
          </text>
        </g>
      ))}
      <text x={labelW + plotW / 2} y={H - 6} text-anchor="middle" fill={INK} font-size="12">
        {p.axisLabel}
      </text>
      {p.items.map((item, i) => {
        const cy = mt + i * rowH + rowH / 2;
        const w = item.value === null ? 0 : Math.max(item.value > 0 ? 1 : 0, x(item.value) - labelW);
        return (
          <g>
            <text x={labelW - 8} y={cy} text-anchor="end" dominant-baseline="middle" fill={INK}>
              {item.label.length > 24 ? `${item.label.slice(0, 23)}…` : item.label}
            </text>
            {item.value !== null && <rect x={labelW} y={cy - 8} width={w} height={16} fill={color} />}
            <text
              x={labelW + w + 6}
              y={cy}
              dominant-baseline="middle"
              fill={item.value === null ? MUTED : INK}
              font-weight={item.value === null ? undefined : "600"}
            >
              {item.text}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
