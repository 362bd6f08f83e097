// Hand-drawn, accessible SVG charts: each has a title and description, labelled axes, a legend in
// words, and the same data as a table (visually hidden until asked for, always there for screen
// readers). Distinct dash patterns and marker shapes keep series apart without colour.
import { useId, useState, type ReactNode } from 'react';
import { formatDateTime } from '../format';
import { formatScore, formatTimeTick, linearScale, linePath, niceTicks, scoreDomain, timeTicks, type ChartPoint } from './scale';

const WIDTH = 760;
const COLORS = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0f766e', '#4d7c0f', '#9d174d'];
const DASHES = ['', '6 4', '2 3', '10 3 2 3', '1 4', '8 2', '4 4', '12 4'];

export interface LineSeries {
  readonly key: string;
  readonly label: string;
  readonly points: readonly ChartPoint[];
}

const DataTable = ({ id, caption, head, rows, visible }: { id: string; caption: string; head: readonly string[]; rows: readonly (readonly ReactNode[])[]; visible: boolean }) => (
  <div id={id} className={visible ? 'chart-table' : 'visually-hidden'}>
    <table className="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

const TableToggle = ({ controls, shown, onToggle }: { controls: string; shown: boolean; onToggle: () => void }) => (
  <button type="button" className="button button-small button-quiet" aria-expanded={shown} aria-controls={controls} onClick={onToggle}>
    {shown ? 'Hide data table' : 'Show data table'}
  </button>
);

export const LineChart = ({
  title,
  description,
  series,
  from,
  to,
  yLabel = 'Compliance score',
  format = formatScore,
  width = 1000,
  height = 300,
  endLabel = true,
  domain,
}: {
  title: string;
  description: string;
  series: readonly LineSeries[];
  from: number;
  to: number;
  yLabel?: string;
  format?: (v: number | null) => string;
  width?: number;
  height?: number;
  /** Write the first series' last value next to it (its headline number). */
  endLabel?: boolean;
  /** The value axis; by default the score axis (100% on top), e.g. countDomain for counts. */
  domain?: readonly [number, number];
}) => {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const margin = { left: 64, right: 20, top: 24, bottom: 44 };
  const x = linearScale([from, to], [margin.left, width - margin.right]);
  const yDomain = domain ?? scoreDomain(series.flatMap((s) => s.points.map((p) => p.y)));
  const y = linearScale(yDomain, [height - margin.bottom, margin.top]);
  const xTicks = timeTicks(from, to, 6);
  const step = xTicks.length > 1 ? xTicks[1] - xTicks[0] : to - from;
  const yTicks = niceTicks(yDomain[0], yDomain[1], 4);
  const instants = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const valueAt = (s: LineSeries, t: number) => s.points.find((p) => p.x === t)?.y ?? null;
  const withData = instants.filter((t) => series.some((s) => valueAt(s, t) !== null));
  const lastOverall = [...(series[0]?.points ?? [])].reverse().find((p) => p.y !== null);
  // Dense series (a week of hours) get small markers, so the line stays readable.
  const radius = (i: number) => (withData.length > 60 ? 1.6 : 3.5) * (i === 0 ? 1 : 0.75);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <g className="chart-grid" aria-hidden="true">
          {yTicks.map((v) => (
            <g key={v}>
              <line x1={margin.left} x2={width - margin.right} y1={y(v)} y2={y(v)} />
              <text x={margin.left - 8} y={y(v)} dy="0.32em" textAnchor="end">
                {format(v)}
              </text>
            </g>
          ))}
          {xTicks.map((t) => (
            <text key={t} x={x(t)} y={height - margin.bottom + 18} textAnchor="middle">
              {formatTimeTick(t, step)}
            </text>
          ))}
          <line className="chart-axis" x1={margin.left} x2={width - margin.right} y1={height - margin.bottom} y2={height - margin.bottom} />
          <text className="chart-axis-label" x={(margin.left + width - margin.right) / 2} y={height - 6} textAnchor="middle">
            Time (UTC)
          </text>
          <text className="chart-axis-label" transform={`translate(14 ${(height - margin.bottom + margin.top) / 2}) rotate(-90)`} textAnchor="middle">
            {yLabel}
          </text>
        </g>
        {series.map((s, i) => (
          <g key={s.key} className="chart-series" data-series={s.key}>
            <path d={linePath(s.points, x, y)} fill="none" stroke={COLORS[i % COLORS.length]} strokeWidth={i === 0 ? 2.5 : 1.75} strokeDasharray={DASHES[i % DASHES.length]} />
            {s.points
              .filter((p) => p.y !== null)
              .map((p) => (
                <circle key={p.x} className="chart-point" cx={x(p.x)} cy={y(p.y as number)} r={radius(i)} fill={COLORS[i % COLORS.length]}>
                  <title>{`${s.label}, ${formatDateTime(new Date(p.x).toISOString())}: ${format(p.y)}`}</title>
                </circle>
              ))}
          </g>
        ))}
        {endLabel && lastOverall && lastOverall.y !== null ? (
          <text className="chart-end-label" x={x(lastOverall.x) - 8} y={y(lastOverall.y) - 10} textAnchor="end" aria-hidden="true">
            {`${series[0].label}: ${format(lastOverall.y)}`}
          </text>
        ) : null}
        {withData.length === 0 ? (
          <text x={width / 2} y={height / 2} textAnchor="middle" className="chart-empty">
            Nothing evaluated in this period
          </text>
        ) : null}
      </svg>
      <figcaption className="chart-caption">
        <ul className="legend" aria-label="Legend">
          {series.map((s, i) => (
            <li key={s.key}>
              <svg width="28" height="10" aria-hidden="true">
                <line x1="0" x2="28" y1="5" y2="5" stroke={COLORS[i % COLORS.length]} strokeWidth="2.5" strokeDasharray={DASHES[i % DASHES.length]} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
        <TableToggle controls={`${id}-table`} shown={showTable} onToggle={() => setShowTable((v) => !v)} />
      </figcaption>
      <DataTable
        id={`${id}-table`}
        visible={showTable}
        caption={`${title} (points with data)`}
        head={['Time (UTC)', ...series.map((s) => s.label)]}
        rows={withData.map((t) => [formatDateTime(new Date(t).toISOString()), ...series.map((s) => format(valueAt(s, t)))])}
      />
    </figure>
  );
};

export interface Bar {
  readonly key: string;
  readonly label: string;
  readonly value: number | null;
  readonly detail?: string;
}

/** Horizontal bars (scores per tenant, failing guardrails per control). */
export const BarChart = ({
  title,
  description,
  bars,
  max = 1,
  format = formatScore,
  valueLabel = 'Score',
  width = WIDTH,
}: {
  title: string;
  description: string;
  bars: readonly Bar[];
  max?: number;
  format?: (v: number | null) => string;
  valueLabel?: string;
  /** The drawing's width in SVG units: smaller for half-width panels, so the text stays legible. */
  width?: number;
}) => {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const rowHeight = 28;
  const margin = { left: Math.round(width * 0.3), right: 64, top: 8, bottom: 8 };
  const labelChars = Math.floor(margin.left / 7);
  const height = margin.top + margin.bottom + Math.max(1, bars.length) * rowHeight;
  const x = linearScale([0, max || 1], [margin.left, width - margin.right]);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {bars.map((bar, i) => {
          const top = margin.top + i * rowHeight;
          const label = bar.label.length > labelChars ? `${bar.label.slice(0, labelChars - 1)}…` : bar.label;
          return (
            <g key={bar.key} className="chart-bar" data-key={bar.key}>
              <text x={margin.left - 8} y={top + rowHeight / 2} dy="0.32em" textAnchor="end" className="chart-bar-label">
                {label}
              </text>
              <rect x={margin.left} y={top + 5} width={width - margin.left - margin.right} height={rowHeight - 10} className="chart-bar-track" />
              {bar.value !== null ? <rect x={margin.left} y={top + 5} width={Math.max(0, x(bar.value) - margin.left)} height={rowHeight - 10} className="chart-bar-fill" /> : null}
              <text x={width - margin.right + 8} y={top + rowHeight / 2} dy="0.32em" className="chart-bar-value">
                {format(bar.value)}
              </text>
            </g>
          );
        })}
        {bars.length === 0 ? (
          <text x={width / 2} y={height / 2} dy="0.32em" textAnchor="middle" className="chart-empty">
            No data
          </text>
        ) : null}
      </svg>
      <figcaption className="chart-caption">
        <TableToggle controls={`${id}-table`} shown={showTable} onToggle={() => setShowTable((v) => !v)} />
      </figcaption>
      <DataTable id={`${id}-table`} visible={showTable} caption={title} head={['', valueLabel, 'Detail']} rows={bars.map((b) => [b.label, format(b.value), b.detail ?? ''])} />
    </figure>
  );
};

export interface IntervalRow {
  readonly key: string;
  readonly label: string;
  readonly intervals: readonly { from: number; to: number | null; label: string; state: 'nonCompliant' | 'error' | 'exempt' }[];
}

const STATE_WORDS = { nonCompliant: 'non-compliant', error: 'not evaluable', exempt: 'exempt' } as const;

/** When each guardrail failed on a resource (or could not say, or was exempted), with configuration changes marked on the same axis. */
export const IntervalChart = ({
  title,
  description,
  rows,
  markers,
  from,
  to,
}: {
  title: string;
  description: string;
  rows: readonly IntervalRow[];
  markers: readonly { at: number; label: string }[];
  from: number;
  to: number;
}) => {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  const rowHeight = 26;
  const margin = { left: 220, right: 20, top: 22, bottom: 36 };
  const height = margin.top + margin.bottom + Math.max(1, rows.length) * rowHeight;
  const x = linearScale([from, to], [margin.left, WIDTH - margin.right]);
  const ticks = timeTicks(from, to, 5);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : to - from;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <g className="chart-grid" aria-hidden="true">
          {ticks.map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={margin.top} y2={height - margin.bottom} />
              <text x={x(t)} y={height - margin.bottom + 16} textAnchor="middle">
                {formatTimeTick(t, step)}
              </text>
            </g>
          ))}
          <text className="chart-axis-label" x={(margin.left + WIDTH - margin.right) / 2} y={height - 4} textAnchor="middle">
            Time (UTC)
          </text>
        </g>
        {markers.map((m) => (
          <g key={`${m.at}-${m.label}`} className="chart-marker">
            <line x1={x(m.at)} x2={x(m.at)} y1={margin.top - 10} y2={height - margin.bottom} />
            <path d={`M${x(m.at) - 5} ${margin.top - 14} h10 l-5 7 z`}>
              <title>{`${m.label}, ${formatDateTime(new Date(m.at).toISOString())}`}</title>
            </path>
          </g>
        ))}
        {rows.map((row, i) => {
          const top = margin.top + i * rowHeight;
          return (
            <g key={row.key} className="chart-interval-row">
              <text x={margin.left - 8} y={top + rowHeight / 2} dy="0.32em" textAnchor="end" className="chart-bar-label">
                {row.label.length > 32 ? `${row.label.slice(0, 31)}…` : row.label}
              </text>
              <rect x={margin.left} y={top + 6} width={WIDTH - margin.left - margin.right} height={rowHeight - 12} className="chart-ok" />
              {row.intervals.map((iv, j) => (
                <rect
                  key={`${iv.from}-${j}`}
                  className={`chart-interval chart-interval-${iv.state}`}
                  x={x(Math.max(iv.from, from))}
                  y={top + 4}
                  width={Math.max(2, x(Math.min(iv.to ?? to, to)) - x(Math.max(iv.from, from)))}
                  height={rowHeight - 8}
                >
                  <title>{iv.label}</title>
                </rect>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-caption">
        <ul className="legend" aria-label="Legend">
          <li>
            <span className="swatch swatch-ok" aria-hidden="true" /> compliant (or not applicable)
          </li>
          <li>
            <span className="swatch swatch-bad" aria-hidden="true" /> non-compliant
          </li>
          <li>
            <span className="swatch swatch-error" aria-hidden="true" /> not evaluable
          </li>
          <li>
            <span className="swatch swatch-exempt" aria-hidden="true" /> exempt
          </li>
          <li>
            <span className="swatch swatch-marker" aria-hidden="true" /> configuration change
          </li>
        </ul>
        <TableToggle controls={`${id}-table`} shown={showTable} onToggle={() => setShowTable((v) => !v)} />
      </figcaption>
      <DataTable
        id={`${id}-table`}
        visible={showTable}
        caption={title}
        head={['Guardrail', 'State', 'From', 'Until']}
        rows={rows.flatMap((r) =>
          r.intervals.map((iv) => [r.label, STATE_WORDS[iv.state], formatDateTime(new Date(iv.from).toISOString()), iv.to === null ? 'now' : formatDateTime(new Date(iv.to).toISOString())]),
        )}
      />
    </figure>
  );
};
