/** Small SVG charts (no chart library): a labelled bar chart and a multi-series line chart. */

export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 480;
const HEIGHT = 180;
const PAD = { top: 16, right: 22, bottom: 28, left: 36 };

/** Rounds the scale's top to 1, 2 or 5 × 10ⁿ so the axis reads well. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((step) => step * power >= value) ?? 10) * power;
}

export function BarChart({ bars, testId, title }: { bars: Bar[]; testId?: string; title: string }) {
  const max = niceMax(Math.max(...bars.map((b) => b.value), 0));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(bars.length, 1);
  const barW = Math.min(48, slot * 0.6);
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="chart" role="img" aria-label={title} data-testid={testId}>
      <title>{title}</title>
      <Axis max={max} innerH={innerH} />
      {bars.map((bar, i) => {
        const h = (bar.value / max) * innerH;
        const x = PAD.left + slot * i + (slot - barW) / 2;
        return (
          <g key={bar.label} data-testid={testId && `${testId}-bar`}>
            <rect x={x} y={PAD.top + innerH - h} width={barW} height={h} rx={3} className="bar" />
            <text x={x + barW / 2} y={PAD.top + innerH - h - 4} textAnchor="middle" className="chart-value">
              {bar.value}
            </text>
            <text x={x + barW / 2} y={HEIGHT - 8} textAnchor="middle" className="chart-label">
              {bar.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface Series {
  name: string;
  points: number[];
}

/** Lines over shared x labels (days, for example); each series gets the next palette colour. */
export function LineChart({
  labels,
  series,
  testId,
  title,
}: {
  labels: string[];
  series: Series[];
  testId?: string;
  title: string;
}) {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? innerW / 2 : (innerW * i) / (labels.length - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const every = Math.max(1, Math.ceil(labels.length / 6));
  return (
    <figure className="chart-figure">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="chart" role="img" aria-label={title} data-testid={testId}>
        <title>{title}</title>
        <Axis max={max} innerH={innerH} />
        {labels.map((label, i) =>
          i % every === 0 ? (
            <text key={label + i} x={x(i)} y={HEIGHT - 8} textAnchor="middle" className="chart-label">
              {label}
            </text>
          ) : null,
        )}
        {series.map((s, n) => (
          <g key={s.name} className={`series-${n % 4}`}>
            <polyline fill="none" strokeWidth={2} points={s.points.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
            {s.points.map((v, i) => (
              <circle key={i} cx={x(i)} cy={y(v)} r={2.5} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((s, n) => (
          <span key={s.name} className={`series-${n % 4}`}>
            <i /> {s.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

function Axis({ max, innerH }: { max: number; innerH: number }) {
  const ticks = [0, 0.5, 1];
  return (
    <g className="axis">
      {ticks.map((t) => {
        const y = PAD.top + innerH - t * innerH;
        return (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} />
            <text x={PAD.left - 6} y={y + 4} textAnchor="end" className="chart-label">
              {Number.isInteger(max * t) ? max * t : (max * t).toFixed(1)}
            </text>
          </g>
        );
      })}
    </g>
  );
}
