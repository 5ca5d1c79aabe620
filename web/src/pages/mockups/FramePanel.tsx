// The side panel of mockup setup: the frames of the photo (select, delete), the selected
// corner's exact position (a keyboard- and screen-reader-friendly alternative to dragging) and
// the selected frame's effect sliders (spec §2.5, the renderer's ranges).
import { Icon } from '../../components/icons';
import { Field } from '../../components/ui';
import { EFFECT_PARAMETERS, type EffectValues } from '../../domains/mockups/effects';
import type { Point } from '../../domains/mockups/geometry';
import { CORNER_NAMES, type DraftFrame, frameProblem, moveCorner, type Selection } from './frameDraft';

interface Props {
  frames: DraftFrame[];
  selection: Selection;
  width: number;
  height: number;
  base: EffectValues;
  onFramesChange(frames: DraftFrame[]): void;
  onSelect(selection: Selection): void;
  onDelete(frameId: string): void;
}

export function FramePanel({ frames, selection, width, height, base, onFramesChange, onSelect, onDelete }: Props) {
  const frame = frames.find((f) => f.id === selection.frameId) ?? null;
  const index = frame ? frames.indexOf(frame) : -1;
  const update = (next: DraftFrame) => onFramesChange(frames.map((f) => (f.id === next.id ? next : f)));
  const setCorner = (corner: number, axis: 0 | 1, value: number) => {
    if (!frame || !Number.isFinite(value)) return;
    const to: Point = [...frame.points[corner]] as Point;
    to[axis] = value;
    const moved = moveCorner(frame, corner, to, width, height);
    update(moved.frame);
    onSelect({ frameId: frame.id, corner: moved.corner });
  };
  const setEffect = (key: keyof EffectValues, value: number) => {
    if (frame) update({ ...frame, effects: { ...frame.effects, [key]: value } });
  };

  return (
    <div className="stack">
      {frames.length === 0 ? <p className="small muted">No frames yet: draw one on the photo, add a rectangle, or detect the green screen.</p> : null}
      <ul className="setup-frame-list" aria-label="Frames">
        {frames.map((f, i) => {
          const problem = frameProblem(f, width, height);
          const selected = f.id === selection.frameId;
          return (
            <li key={f.id} data-selected={selected}>
              <button type="button" className="btn btn-ghost btn-sm" aria-pressed={selected} onClick={() => onSelect({ frameId: f.id, corner: selected ? selection.corner : null })}>
                Frame {i + 1}
              </button>
              <span className={`small ${problem ? "setup-problem" : "faint"}`} data-testid="frame-corners">{problem ?? `${f.points.map((p) => p.map(Math.round).join(',')).join(' · ')}`}</span>
              <button type="button" className="btn btn-ghost btn-sm icon-btn" aria-label={`Delete frame ${i + 1}`} onClick={() => onDelete(f.id)}>
                <Icon name="trash" />
              </button>
            </li>
          );
        })}
      </ul>

      {frame && frame.points.length === 4 ? (
        <fieldset className="setup-fieldset">
          <legend>Frame {index + 1} corners</legend>
          <div className="segmented" role="group" aria-label="Corner">
            {CORNER_NAMES.map((name, c) => (
              <button key={name} type="button" aria-pressed={selection.corner === c} onClick={() => onSelect({ frameId: frame.id, corner: c })}>
                {c + 1}
              </button>
            ))}
          </div>
          {selection.corner != null ? (
            <div className="grid grid-2" style={{ marginTop: 8 }}>
              <Field label={`${CORNER_NAMES[selection.corner]} x`}>
                {(id) => <input id={id} className="input" type="number" min={0} max={width} step={1}
                  value={Math.round(frame.points[selection.corner!][0])} onChange={(e) => setCorner(selection.corner!, 0, e.target.valueAsNumber)} />}
              </Field>
              <Field label={`${CORNER_NAMES[selection.corner]} y`}>
                {(id) => <input id={id} className="input" type="number" min={0} max={height} step={1}
                  value={Math.round(frame.points[selection.corner!][1])} onChange={(e) => setCorner(selection.corner!, 1, e.target.valueAsNumber)} />}
              </Field>
            </div>
          ) : <p className="small faint" style={{ margin: '8px 0 0' }}>Pick a corner to type its position.</p>}
        </fieldset>
      ) : null}

      {frame && frame.points.length === 4 ? (
        <fieldset className="setup-fieldset">
          <legend>Frame {index + 1} effects</legend>
          <div className="stack" style={{ gap: 10 }}>
            {EFFECT_PARAMETERS.map((p) => (
              <Field key={p.key} label={<span className="row between" style={{ width: '100%' }}><span>{p.label}</span><span className="mono faint">{frame.effects[p.key]}{p.unit ?? ''}</span></span>} hint={p.help}>
                {(id, describedBy) => (
                  <input id={id} aria-describedby={describedBy} type="range" className="setup-range" min={p.min} max={p.max} step={p.step}
                    value={frame.effects[p.key]} onChange={(e) => setEffect(p.key, e.target.valueAsNumber)} />
                )}
              </Field>
            ))}
            <button type="button" className="btn btn-sm" onClick={() => update({ ...frame, effects: { ...base } })}>Reset effects</button>
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}
