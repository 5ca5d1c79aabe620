// Dependency-free charts: a column chart over days and a horizontal bar list. Each carries an
// accessible text equivalent (the bar list is plain text; the column chart has a data table).
import { useId } from 'react';

export interface Datum {
  key: string;
  label: string;
  value: number;
  detail?: string;
}

export function ColumnChart({ data, label, format }: { data: Datum[]; label: string; format(v: number): string }) {
  const id = useId();
  const width = 720;
  const height = 220;
  const pad = { top: 12, right: 8, bottom: 28, left: 56 };
  const max = Math.max(...data.map((d) => d.value), 0) || 1;
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const step = innerW / Math.max(data.length, 1);
  const barW = Math.max(2, Math.min(28, step * 0.7));
  const ticks = [0, 0.5, 1].map((t) => t * max);
  const labelEvery = Math.ceil(data.length / 8);
  return (
    <figure style={{ margin: 0 }}>
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`}>
        <title id={`${id}-title`}>{label}</title>
        <defs>
          <linearGradient id="cosmic-bar" x1="0" y1="1" x2="0" y2="0">
            <stop offset="0" stopColor="#2F6BFF" />
            <stop offset="0.6" stopColor="#8B5CF6" />
            <stop offset="1" stopColor="#22D3EE" />
          </linearGradient>
        </defs>
        {ticks.map((t) => {
          const y = pad.top + innerH - (t / max) * innerH;
          return (
            <g key={t}>
              <line className="axis" x1={pad.left} x2={width - pad.right} y1={y} y2={y} strokeDasharray={t ? '3 4' : undefined} />
              <text x={pad.left - 6} y={y + 4} textAnchor="end">{format(t)}</text>
            </g>
          );
        })}
        {data.map((d, i) => {
          const h = (d.value / max) * innerH;
          const x = pad.left + i * step + (step - barW) / 2;
          return (
            <g key={d.key}>
              <rect className="bar" x={x} y={pad.top + innerH - h} width={barW} height={Math.max(h, d.value > 0 ? 1 : 0)} rx={2}>
                <title>{`${d.label}: ${format(d.value)}${d.detail ? ` (${d.detail})` : ''}`}</title>
              </rect>
              {i % labelEvery === 0 ? <text x={x + barW / 2} y={height - 8} textAnchor="middle">{d.label}</text> : null}
            </g>
          );
        })}
      </svg>
      <details className="small muted">
        <summary>Show as table</summary>
        <table className="table">
          <caption className="visually-hidden">{label}</caption>
          <thead><tr><th scope="col">Day</th><th scope="col" className="num">Value</th></tr></thead>
          <tbody>{data.filter((d) => d.value > 0).map((d) => <tr key={d.key}><td>{d.label}</td><td className="num">{format(d.value)}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

export function BarList({ data, format, label, limit = 8 }: { data: Datum[]; format(v: number): string; label: string; limit?: number }) {
  const max = Math.max(...data.map((d) => d.value), 0) || 1;
  const shown = data.slice(0, limit);
  const rest = data.slice(limit);
  const all = rest.length ? [...shown, { key: 'other', label: `${rest.length} more`, value: rest.reduce((s, d) => s + d.value, 0) }] : shown;
  if (!all.length) return <p className="muted small">No data.</p>;
  return (
    <ul className="hbar" aria-label={label} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {all.map((d) => (
        <li key={d.key} style={{ display: 'contents' }}>
          <span title={d.label} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{d.label}</span>
          <span className="track" aria-hidden="true"><span className="fill" style={{ width: `${(d.value / max) * 100}%` }} /></span>
          <span className="value">{format(d.value)}{d.detail ? <span className="faint small"> · {d.detail}</span> : null}</span>
        </li>
      ))}
    </ul>
  );
}
