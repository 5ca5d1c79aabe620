// The canvas of mockup setup: the billboard photo with its frames. Click four corners to draw a
// frame, drag a corner (or a whole frame) to adjust it; with the canvas focused, arrow keys
// nudge the selected corner (Shift: 10 px), 1–4 pick a corner, Delete removes the frame and
// Escape stops drawing. Everything is in photo pixels; the canvas only scales for display.
import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EffectValues } from '../../domains/mockups/effects';
import { isConvexQuad, orderCorners, type Point, pointInConvex, type Quad } from '../../domains/mockups/geometry';
import { creativeAlpha, drawWarped, styledCreative } from '../../domains/mockups/preview';
import { CORNER_NAMES, type DraftFrame, moveCorner, moveFrame, type Selection } from './frameDraft';

interface Props {
  photo: HTMLImageElement;
  width: number;
  height: number;
  frames: DraftFrame[];
  selection: Selection;
  drawing: boolean;
  preview: HTMLCanvasElement | null;
  onFramesChange(frames: DraftFrame[]): void;
  onSelect(selection: Selection): void;
  /** Four corners were clicked while drawing. */
  onDrawn(points: Point[]): void;
  onCancelDrawing(): void;
  onDelete(frameId: string): void;
}

const HANDLE_PX = 7;
const HIT_PX = 14;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

type Drag = { kind: 'corner'; frameId: string; corner: number } | { kind: 'frame'; frameId: string; last: Point };

export function FrameEditor(props: Props) {
  const { photo, width, height, frames, selection, drawing, preview } = props;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [cssWidth, setCssWidth] = useState(0);
  const [pending, setPending] = useState<Point[]>([]);
  const [hover, setHover] = useState<Point | null>(null);
  const drag = useRef<Drag | null>(null);
  const scale = cssWidth > 0 ? cssWidth / width : 1;

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setCssWidth(el.clientWidth));
    observer.observe(el);
    setCssWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!drawing) setPending([]);
  }, [drawing]);

  // One styled creative per distinct effect setting, so dragging does not re-filter images.
  const styled = useMemo(() => {
    const map = new Map<string, HTMLCanvasElement>();
    if (!preview) return map;
    for (const f of frames) {
      const key = JSON.stringify(f.effects);
      if (!map.has(key)) {
        const quadWidth = f.points.length === 4 ? Math.max(1, Math.hypot(f.points[1][0] - f.points[0][0], f.points[1][1] - f.points[0][1])) : width;
        map.set(key, styledCreative(preview, f.effects, preview.width / quadWidth));
      }
    }
    return map;
  }, [frames, preview, width]);

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas || cssWidth === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const cssHeight = (height / width) * cssWidth;
    canvas.width = Math.round(cssWidth * dpr);
    canvas.height = Math.round(cssHeight * dpr);
    canvas.style.height = `${cssHeight}px`;
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr * scale, 0, 0, dpr * scale, 0, 0);
    ctx.drawImage(photo, 0, 0, width, height);
    const accent = cssVar('--accent', '#22d3ee');
    const selectedColour = cssVar('--warning-500', '#f59e0b');
    const danger = cssVar('--danger-500', '#f43f5e');
    const px = 1 / scale;

    frames.forEach((f, index) => {
      const complete = f.points.length === 4;
      const valid = complete && isConvexQuad(f.points);
      const selected = f.id === selection.frameId;
      if (preview && valid) {
        const creative = styled.get(JSON.stringify(f.effects));
        if (creative) drawWarped(ctx, creative, orderCorners(f.points) as Quad, creativeAlpha(f.effects as EffectValues));
      }
      ctx.beginPath();
      f.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
      if (!preview) {
        ctx.fillStyle = valid ? 'rgba(34, 211, 238, 0.18)' : 'rgba(244, 63, 94, 0.22)';
        ctx.fill();
      }
      ctx.lineWidth = (selected ? 3 : 2) * px;
      ctx.strokeStyle = !valid ? danger : selected ? selectedColour : accent;
      ctx.stroke();
      const cx = f.points.reduce((s, p) => s + p[0], 0) / f.points.length;
      const cy = f.points.reduce((s, p) => s + p[1], 0) / f.points.length;
      ctx.font = `700 ${16 * px}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.lineWidth = 4 * px;
      ctx.strokeStyle = 'rgba(0,0,0,0.7)';
      ctx.strokeText(String(index + 1), cx, cy);
      ctx.fillStyle = '#ffffff';
      ctx.fillText(String(index + 1), cx, cy);
      f.points.forEach(([x, y], i) => {
        const active = selected && selection.corner === i;
        ctx.beginPath();
        ctx.arc(x, y, (active ? HANDLE_PX + 2 : HANDLE_PX) * px, 0, Math.PI * 2);
        ctx.fillStyle = active ? selectedColour : '#ffffff';
        ctx.fill();
        ctx.lineWidth = 2 * px;
        ctx.strokeStyle = selected ? selectedColour : accent;
        ctx.stroke();
      });
    });

    if (drawing && pending.length) {
      ctx.beginPath();
      pending.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      if (hover) ctx.lineTo(hover[0], hover[1]);
      ctx.lineWidth = 2 * px;
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.strokeStyle = selectedColour;
      ctx.stroke();
      ctx.setLineDash([]);
      for (const [x, y] of pending) {
        ctx.beginPath();
        ctx.arc(x, y, HANDLE_PX * px, 0, Math.PI * 2);
        ctx.fillStyle = selectedColour;
        ctx.fill();
      }
    }
  }, [cssWidth, drawing, frames, height, hover, pending, photo, preview, scale, selection, styled, width]);

  useEffect(draw, [draw]);

  const toPhoto = (e: PointerEvent<HTMLCanvasElement>): Point => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * width;
    const y = ((e.clientY - rect.top) / rect.height) * height;
    return [Math.min(width, Math.max(0, x)), Math.min(height, Math.max(0, y))];
  };

  const hitCorner = (p: Point): { frameId: string; corner: number } | null => {
    let best: { frameId: string; corner: number; d: number } | null = null;
    // The selected frame wins ties, then the frame drawn last (it is on top).
    const order = [...frames].reverse().sort((a, b) => Number(b.id === selection.frameId) - Number(a.id === selection.frameId));
    for (const f of order) {
      f.points.forEach(([x, y], corner) => {
        const d = Math.hypot(x - p[0], y - p[1]) * scale;
        if (d <= HIT_PX && (!best || d < best.d)) best = { frameId: f.id, corner, d };
      });
    }
    return best;
  };

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    e.currentTarget.focus({ preventScroll: true });
    const p = toPhoto(e);
    if (drawing) {
      const next = [...pending, p];
      if (next.length === 4) {
        setPending([]);
        props.onDrawn(next);
      } else {
        setPending(next);
      }
      return;
    }
    const corner = hitCorner(p);
    if (corner) {
      drag.current = { kind: 'corner', ...corner };
      props.onSelect(corner);
      e.currentTarget.setPointerCapture(e.pointerId);
      return;
    }
    const inside = [...frames].reverse().find((f) => f.points.length === 4 && pointInConvex(f.points, p));
    if (inside) {
      drag.current = { kind: 'frame', frameId: inside.id, last: p };
      props.onSelect({ frameId: inside.id, corner: null });
      e.currentTarget.setPointerCapture(e.pointerId);
      return;
    }
    props.onSelect({ frameId: null, corner: null });
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const p = toPhoto(e);
    if (drawing) {
      setHover(p);
      return;
    }
    const d = drag.current;
    if (!d) return;
    const frame = frames.find((f) => f.id === d.frameId);
    if (!frame) return;
    if (d.kind === 'corner') {
      const { frame: moved, corner } = moveCorner(frame, d.corner, p, width, height);
      drag.current = { ...d, corner };
      props.onFramesChange(frames.map((f) => (f.id === d.frameId ? moved : f)));
      if (corner !== selection.corner) props.onSelect({ frameId: d.frameId, corner });
    } else {
      const moved = moveFrame(frame, p[0] - d.last[0], p[1] - d.last[1], width, height);
      drag.current = { ...d, last: p };
      props.onFramesChange(frames.map((f) => (f.id === d.frameId ? moved : f)));
    }
  };

  const endDrag = () => {
    drag.current = null;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (e.key === 'Escape') {
      if (drawing) props.onCancelDrawing();
      else props.onSelect({ frameId: selection.frameId, corner: null });
      e.preventDefault();
      return;
    }
    const frame = frames.find((f) => f.id === selection.frameId);
    if (!frame) return;
    if (/^[1-4]$/.test(e.key) && frame.points.length === 4) {
      props.onSelect({ frameId: frame.id, corner: Number(e.key) - 1 });
      e.preventDefault();
      return;
    }
    if (e.key === 'Delete' || e.key === 'Backspace') {
      props.onDelete(frame.id);
      e.preventDefault();
      return;
    }
    const step = e.shiftKey ? 10 : 1;
    const delta: Record<string, Point> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const d = delta[e.key];
    if (!d) return;
    e.preventDefault();
    if (selection.corner == null) {
      props.onFramesChange(frames.map((f) => (f.id === frame.id ? moveFrame(f, d[0], d[1], width, height) : f)));
      return;
    }
    const [x, y] = frame.points[selection.corner];
    const { frame: moved, corner } = moveCorner(frame, selection.corner, [x + d[0], y + d[1]], width, height);
    props.onFramesChange(frames.map((f) => (f.id === frame.id ? moved : f)));
    if (corner !== selection.corner) props.onSelect({ frameId: frame.id, corner });
  };

  const selectedIndex = frames.findIndex((f) => f.id === selection.frameId);
  const status = drawing
    ? `Drawing a frame: ${pending.length} of 4 corners placed. Click the billboard's corners; Escape stops.`
    : selectedIndex >= 0
      ? `Frame ${selectedIndex + 1} selected${selection.corner != null && frames[selectedIndex].points[selection.corner]
        ? `, ${CORNER_NAMES[selection.corner]} corner at ${frames[selectedIndex].points[selection.corner].map(Math.round).join(', ')}`
        : ''}.`
      : `${frames.length} frame${frames.length === 1 ? '' : 's'} on the photo.`;

  return (
    <div ref={wrapRef} className="setup-canvas-wrap" data-drawing={drawing}>
      <canvas
        ref={canvasRef}
        className="setup-canvas"
        tabIndex={0}
        role="application"
        aria-label="Billboard photo with frames"
        aria-describedby="setup-canvas-help"
        data-testid="frame-canvas"
        data-scale={scale}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onPointerLeave={() => setHover(null)}
        onKeyDown={onKeyDown}
      />
      <p id="setup-canvas-help" className="small faint">
        Click four corners to draw a frame; drag a corner or a frame to adjust it. With the photo focused: arrow keys move
        the selected corner (Shift for 10 px) or the whole frame, 1–4 pick a corner, Delete removes the frame.
      </p>
      <p className="visually-hidden" aria-live="polite" data-testid="frame-status">{status}</p>
    </div>
  );
}
