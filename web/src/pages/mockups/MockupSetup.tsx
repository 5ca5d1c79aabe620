// Mockup setup (spec §2, §9): pick a company and location, upload a billboard photo (or open
// one already stored), say which variant it is (venue, time of day, side), mark the billboard
// faces as frames — by hand, as a rectangle to adjust, or by green-screen detection — tune each
// frame's effects with a live preview, and save photo and frames as the location's template.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert, EmptyState, ErrorAlert, Field, ProgressBar, Segmented, Spinner } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useCompanyNames } from '../../domains/companies/hooks';
import { useCurrentCompany } from '../../domains/companies/current';
import { useLocationPhotoUrl } from '../../domains/locations/hooks';
import { readEffectConfig } from '../../domains/mockups/effects';
import type { Point, Quad } from '../../domains/mockups/geometry';
import { detectGreenScreens, GREEN_SCREEN_DEFAULTS, hexToRgb } from '../../domains/mockups/greenScreen';
import { sampleCreative } from '../../domains/mockups/preview';
import {
  type LocationPhoto, type PhotoVariant, type SaveTemplateResult, type SetupLocation,
  useDeleteTemplate, useLocationPhotos, useSaveTemplate, useSetupLocations,
} from '../../domains/mockups/setup';
import { formatBytes, humanize } from '../../lib/format';
import { centredRectangle, type DraftFrame, frameProblem, framesFromStored, framesToStored, newFrame, type Selection } from './frameDraft';
import { FrameEditor } from './FrameEditor';
import { FramePanel } from './FramePanel';
import './MockupSetup.css';

const ACCEPT = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_BYTES = 50 * 1024 * 1024;
const ANALYSIS_SIZE = 1000;

type PhotoSource = { kind: 'new'; file: File; url: string } | { kind: 'stored'; photo: LocationPhoto };

const DEFAULT_VARIANT: PhotoVariant = { environment: 'outdoor', time_of_day: 'day', side: 'gold' };

function useLoadedImage(url: string | null | undefined): { image: HTMLImageElement | null; error: string | null } {
  const [state, setState] = useState<{ url: string | null; image: HTMLImageElement | null; error: string | null }>({ url: null, image: null, error: null });
  useEffect(() => {
    if (!url) return;
    let live = true;
    const img = new Image();
    // Pixels are read for green-screen detection: a cross-origin photo must not taint the canvas.
    img.crossOrigin = 'anonymous';
    img.onload = () => live && setState({ url, image: img, error: null });
    img.onerror = () => live && setState({ url, image: null, error: 'The photo could not be opened as an image.' });
    img.src = url;
    return () => {
      live = false;
    };
  }, [url]);
  return state.url === url ? { image: state.image, error: state.error } : { image: null, error: null };
}

function PhotoThumb({ photo, selected, onOpen }: { photo: LocationPhoto; selected: boolean; onOpen(): void }) {
  const url = useLocationPhotoUrl(photo.storage_path);
  const t = photo.template;
  const name = photo.storage_path.split('/').pop();
  const variant = t ? (t.environment === 'indoor' ? 'indoor' : `${t.time_of_day} · ${humanize(t.side)}`) : 'no frames';
  return (
    <li>
      <button type="button" aria-pressed={selected} onClick={onOpen} aria-label={`Open photo ${name} (${variant}${t ? `, ${t.frames.length} frame${t.frames.length === 1 ? '' : 's'}` : ''})`}>
        {url.data ? <img src={url.data} alt="" loading="lazy" /> : <span className="setup-photos-placeholder" />}
        <span className="small">{name}</span>
        <span className="small faint">{variant}{t ? ` · ${t.frames.length} frame${t.frames.length === 1 ? '' : 's'}` : ''}</span>
      </button>
    </li>
  );
}

export function MockupSetup() {
  const { companies, company: current } = useCurrentCompany();
  const companyName = useCompanyNames();
  const [company, setCompany] = useState<string>(current ?? companies[0] ?? '');
  const locations = useSetupLocations(company || null);
  const [locationKey, setLocationKey] = useState('');
  const location: SetupLocation | null = locations.data?.find((l) => l.location_key === locationKey) ?? null;
  const photos = useLocationPhotos(company || null, location);

  const [source, setSource] = useState<PhotoSource | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const storedUrl = useLocationPhotoUrl(source?.kind === 'stored' ? source.photo.storage_path : null);
  const photoUrl = source?.kind === 'new' ? source.url : storedUrl.data;
  const { image, error: imageError } = useLoadedImage(photoUrl);
  const width = image?.naturalWidth ?? 0;
  const height = image?.naturalHeight ?? 0;

  const [variant, setVariant] = useState<PhotoVariant>(DEFAULT_VARIANT);
  const [photoConfig, setPhotoConfig] = useState<Record<string, unknown>>({});
  const base = useMemo(() => readEffectConfig(photoConfig).values, [photoConfig]);
  const [frames, setFrames] = useState<DraftFrame[]>([]);
  const [selection, setSelection] = useState<Selection>({ frameId: null, corner: null });
  const [drawing, setDrawing] = useState(false);
  const [drawError, setDrawError] = useState<string | null>(null);

  const [previewOn, setPreviewOn] = useState(false);
  const [previewFile, setPreviewFile] = useState<HTMLCanvasElement | null>(null);
  const sample = useMemo(() => sampleCreative(), []);
  const [tolerance, setTolerance] = useState(GREEN_SCREEN_DEFAULTS.tolerance);
  const [screenColour, setScreenColour] = useState('#1cff1c');
  const [detectMessage, setDetectMessage] = useState<{ tone: 'success' | 'warning'; text: string } | null>(null);

  const save = useSaveTemplate();
  const remove = useDeleteTemplate();
  const [progress, setProgress] = useState(0);
  const [saved, setSaved] = useState<SaveTemplateResult | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // A new company or location starts from scratch.
  useEffect(() => {
    setLocationKey('');
  }, [company]);
  const { reset: resetSave } = save;
  const { reset: resetRemove } = remove;
  useEffect(() => {
    setSource(null);
    setFrames([]);
    setSelection({ frameId: null, corner: null });
    setSaved(null);
    resetSave();
    resetRemove();
  }, [company, locationKey, resetSave, resetRemove]);
  useEffect(() => () => {
    if (source?.kind === 'new') URL.revokeObjectURL(source.url);
  }, [source]);

  const openStored = (photo: LocationPhoto) => {
    const t = photo.template;
    setSource({ kind: 'stored', photo });
    setVariant(t ? { environment: t.environment, time_of_day: t.time_of_day, side: t.side } : DEFAULT_VARIANT);
    const config = t?.config ?? {};
    setPhotoConfig(config);
    setFrames(t ? framesFromStored(t.frames, readEffectConfig(config).values) : []);
    setSelection({ frameId: null, corner: null });
    setDrawing(false);
    setSaved(null);
    setDetectMessage(null);
    save.reset();
  };

  const openFile = (file: File | undefined) => {
    setFileError(null);
    if (!file) return;
    if (!ACCEPT.includes(file.type)) {
      setFileError(`${file.name}: a billboard photo must be a JPEG, PNG or WebP image.`);
      return;
    }
    if (file.size > MAX_BYTES) {
      setFileError(`${file.name} is ${formatBytes(file.size)}; the limit is 50 MB.`);
      return;
    }
    setSource({ kind: 'new', file, url: URL.createObjectURL(file) });
    setPhotoConfig({});
    setFrames([]);
    setSelection({ frameId: null, corner: null });
    setDrawing(false);
    setSaved(null);
    setDetectMessage(null);
    save.reset();
  };

  const loadPreviewCreative = (file: File | undefined) => {
    if (!file || !ACCEPT.includes(file.type)) return;
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      const s = Math.min(1, 800 / Math.max(img.naturalWidth, img.naturalHeight));
      c.width = Math.max(1, Math.round(img.naturalWidth * s));
      c.height = Math.max(1, Math.round(img.naturalHeight * s));
      c.getContext('2d')!.drawImage(img, 0, 0, c.width, c.height);
      setPreviewFile(c);
      setPreviewOn(true);
      URL.revokeObjectURL(url);
    };
    img.src = url;
  };

  const addFrame = (points: Point[]) => {
    const frame = newFrame(points, base);
    if (frameProblem(frame, width, height)) {
      setDrawError('Those four corners do not outline a billboard face (they cross or lie on a line). Try again, clicking the corners in turn.');
      return;
    }
    setDrawError(null);
    setFrames((list) => [...list, frame]);
    setSelection({ frameId: frame.id, corner: null });
    setSaved(null);
  };

  const deleteFrame = (id: string) => {
    setFrames((list) => list.filter((f) => f.id !== id));
    setSelection((s) => (s.frameId === id ? { frameId: null, corner: null } : s));
    setSaved(null);
  };

  const detect = () => {
    if (!image) return;
    const s = Math.min(1, ANALYSIS_SIZE / Math.max(width, height));
    const c = document.createElement('canvas');
    c.width = Math.max(1, Math.round(width * s));
    c.height = Math.max(1, Math.round(height * s));
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(image, 0, 0, c.width, c.height);
    const pixels = ctx.getImageData(0, 0, c.width, c.height);
    const exclude = frames.filter((f) => !frameProblem(f, width, height)).map((f) => f.points.map(([x, y]) => [x * s, y * s]) as Quad);
    const result = detectGreenScreens(pixels, { target: hexToRgb(screenColour) ?? GREEN_SCREEN_DEFAULTS.target, tolerance, exclude });
    if (result.screens.length === 0) {
      setDetectMessage({
        tone: 'warning',
        text: result.matchedPixels > 0
          ? `No green screen found: ${result.matchedPixels.toLocaleString('en-US')} pixels match the colour, but not as one solid face. Raise the tolerance or pick the screen's colour.`
          : 'No green screen found: no pixel matches the screen colour. Pick the colour of the screen in this photo or raise the tolerance.',
      });
      return;
    }
    const found = result.screens.map((screen) => newFrame(screen.points.map(([x, y]) => [Math.min(width, x / s), Math.min(height, y / s)] as Point), base));
    setFrames((list) => [...list, ...found]);
    setSelection({ frameId: found[0].id, corner: null });
    setDetectMessage({ tone: 'success', text: `Found ${found.length} green screen${found.length === 1 ? '' : 's'}; adjust the corners if needed.` });
    setSaved(null);
  };

  const problems = frames.map((f, i) => [i, frameProblem(f, width, height)] as const).filter(([, p]) => p);
  const canSave = Boolean(location && image && frames.length > 0 && problems.length === 0 && !save.isPending);

  const onSave = () => {
    if (!location || !image || !source) return;
    setSaved(null);
    setProgress(0);
    save.mutate({
      company,
      location,
      variant,
      photo: source.kind === 'new' ? { file: source.file } : { path: source.photo.storage_path },
      width,
      height,
      frames: framesToStored(frames, base, width, height),
      photoConfig,
      takenPaths: (photos.data ?? []).map((p) => p.storage_path),
      onProgress: setProgress,
    }, {
      onSuccess: (r) => {
        setSaved(r);
        void photos.refetch().then(({ data }) => {
          const stored = data?.find((p) => p.storage_path === r.photo_path);
          if (stored) setSource({ kind: 'stored', photo: stored });
        });
      },
    });
  };

  const onRemove = () => {
    if (source?.kind !== 'stored' || !location) return;
    remove.mutate({ company, locationKey: location.location_key, photoPath: source.photo.storage_path }, {
      onSuccess: () => {
        setFrames([]);
        setSelection({ frameId: null, corner: null });
        void photos.refetch();
      },
    });
  };

  const outdoor = variant.environment === 'outdoor';
  const hasTemplate = source?.kind === 'stored' && Boolean(photos.data?.find((p) => p.storage_path === source.photo.storage_path)?.template);

  return (
    <div className="stack" style={{ gap: 16 }}>
      <section className="card" aria-labelledby="setup-where">
        <h2 id="setup-where">Billboard photo</h2>
        <div className="grid grid-2">
          <Field label="Company">
            {(id) => (
              <select id={id} className="select" value={company} onChange={(e) => setCompany(e.target.value)}>
                {companies.length === 0 ? <option value="">No company</option> : null}
                {companies.map((c) => <option key={c} value={c}>{companyName(c)}</option>)}
              </select>
            )}
          </Field>
          <Field label="Location" hint={locations.data ? `${locations.data.length} locations` : undefined}>
            {(id, d) => (
              <select id={id} aria-describedby={d} className="select" value={locationKey} onChange={(e) => setLocationKey(e.target.value)} disabled={!company}>
                <option value="">{locations.isLoading ? 'Loading…' : 'Choose a location'}</option>
                {(locations.data ?? []).map((l) => <option key={l.location_key} value={l.location_key}>{l.display_name}</option>)}
              </select>
            )}
          </Field>
        </div>
        <ErrorAlert error={locations.error} title="Locations could not be loaded" onRetry={() => void locations.refetch()} />
        {location ? (
          <div className="stack" style={{ marginTop: 16 }}>
            <ErrorAlert error={photos.error} title="Photos could not be loaded" onRetry={() => void photos.refetch()} />
            {photos.data && photos.data.length > 0 ? (
              <>
                <h3 style={{ margin: 0 }}>Photos of {location.display_name}</h3>
                <ul className="setup-photos" aria-label={`Photos of ${location.display_name}`}>
                  {photos.data.map((p) => (
                    <PhotoThumb key={p.storage_path} photo={p} selected={source?.kind === 'stored' && source.photo.storage_path === p.storage_path} onOpen={() => openStored(p)} />
                  ))}
                </ul>
              </>
            ) : photos.isLoading ? null : <p className="small muted" style={{ margin: 0 }}>{location.display_name} has no photos yet.</p>}
            <div
              className="dropzone"
              data-active={dragging}
              onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
              onDragLeave={() => setDragging(false)}
              onDrop={(e) => { e.preventDefault(); setDragging(false); openFile(e.dataTransfer.files[0]); }}
            >
              <p style={{ marginTop: 0 }}>Drop a new billboard photo here (JPEG, PNG or WebP, up to 50 MB), or</p>
              <label className="btn">
                <Icon name="plus" /> Choose a photo
                <input ref={fileInput} className="visually-hidden" type="file" accept={ACCEPT.join(',')} aria-label="New billboard photo"
                  onChange={(e) => { openFile(e.target.files?.[0]); e.target.value = ''; }} />
              </label>
            </div>
            {fileError ? <Alert tone="error">{fileError}</Alert> : null}
          </div>
        ) : null}
      </section>

      {location && source ? (
        <div className="setup-layout">
          <section className="card sticky" aria-labelledby="setup-frames-title">
            <div className="card-title">
              <h2 id="setup-frames-title">Frames</h2>
              <span className="small faint">{source.kind === 'new' ? `New photo · ${source.file.name}` : source.photo.storage_path.split('/').pop()}{image ? ` · ${width}×${height}` : ''}</span>
            </div>
            {imageError ? <Alert tone="error">{imageError}</Alert> : null}
            {storedUrl.error ? <ErrorAlert error={storedUrl.error} title="The photo could not be loaded" /> : null}
            {image ? (
              <>
                <div className="setup-toolbar" role="toolbar" aria-label="Frame tools">
                  <button type="button" className="btn btn-sm" aria-pressed={drawing} onClick={() => { setDrawing((d) => !d); setDrawError(null); }}>
                    {drawing ? 'Stop drawing' : 'Draw a frame'}
                  </button>
                  <button type="button" className="btn btn-sm" onClick={() => addFrame(centredRectangle(width, height))}>Add a rectangle</button>
                  <button type="button" className="btn btn-sm" onClick={detect}>Detect green screen</button>
                  <label className="checkbox small">
                    <input type="checkbox" checked={previewOn} onChange={(e) => setPreviewOn(e.target.checked)} /> Preview a creative
                  </label>
                </div>
                <details className="small" style={{ marginBottom: 12 }}>
                  <summary>Green-screen and preview options</summary>
                  <div className="grid grid-3" style={{ marginTop: 8 }}>
                    <Field label={`Colour tolerance: ${tolerance}`} hint="Higher finds shaded or night-lit screens, and more false greens.">
                      {(id, d) => <input id={id} aria-describedby={d} type="range" className="setup-range" min={10} max={100} step={1} value={tolerance} onChange={(e) => setTolerance(e.target.valueAsNumber)} />}
                    </Field>
                    <Field label="Screen colour">
                      {(id) => <input id={id} type="color" value={screenColour} onChange={(e) => setScreenColour(e.target.value)} />}
                    </Field>
                    <Field label="Preview creative" hint="Any image; a generated sample is used otherwise.">
                      {(id, d) => <input id={id} aria-describedby={d} type="file" accept={ACCEPT.join(',')} onChange={(e) => loadPreviewCreative(e.target.files?.[0])} />}
                    </Field>
                  </div>
                </details>
                {detectMessage ? <Alert tone={detectMessage.tone}>{detectMessage.text}</Alert> : null}
                {drawError ? <Alert tone="error">{drawError}</Alert> : null}
                <FrameEditor
                  photo={image}
                  width={width}
                  height={height}
                  frames={frames}
                  selection={selection}
                  drawing={drawing}
                  preview={previewOn ? previewFile ?? sample : null}
                  onFramesChange={(f) => { setFrames(f); setSaved(null); }}
                  onSelect={setSelection}
                  onDrawn={(points) => { addFrame(points); setDrawing(false); }}
                  onCancelDrawing={() => setDrawing(false)}
                  onDelete={deleteFrame}
                />
                {previewOn ? (
                  <p className="small faint">
                    The preview approximates colour, blur and show-through; edge softening, depth and shadows are applied by the renderer when a mockup is generated.
                  </p>
                ) : null}
              </>
            ) : !imageError ? <div className="row muted"><Spinner label="Opening the photo" /> Opening the photo…</div> : null}
          </section>

          <aside className="card stack" aria-labelledby="setup-panel-title">
            <h2 id="setup-panel-title" style={{ margin: 0 }}>Template</h2>
            <div className="field">
              <span className="label">Venue</span>
              <Segmented<PhotoVariant['environment']> label="Venue" value={variant.environment} onChange={(v) => setVariant({ ...variant, environment: v })}
                options={[{ value: 'outdoor', label: 'Outdoor' }, { value: 'indoor', label: 'Indoor' }]} />
            </div>
            {outdoor ? (
              <>
                <div className="field">
                  <span className="label">Time of day</span>
                  <Segmented<PhotoVariant['time_of_day']> label="Time of day" value={variant.time_of_day} onChange={(v) => setVariant({ ...variant, time_of_day: v })}
                    options={[{ value: 'day', label: 'Day' }, { value: 'night', label: 'Night' }]} />
                </div>
                <div className="field">
                  <span className="label">Billboard side</span>
                  <Segmented<PhotoVariant['side']> label="Billboard side" value={variant.side} onChange={(v) => setVariant({ ...variant, side: v })}
                    options={[{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }, { value: 'single_side', label: 'Single side' }]} />
                </div>
              </>
            ) : null}
            {source.kind === 'stored' ? <p className="small faint" style={{ margin: 0 }}>A stored photo keeps its file; changing the variant re-files its template.</p> : null}

            <FramePanel frames={frames} selection={selection} width={width} height={height} base={base}
              onFramesChange={(f) => { setFrames(f); setSaved(null); }} onSelect={setSelection} onDelete={deleteFrame} />

            <hr style={{ border: 0, borderTop: '1px solid var(--border)', margin: 0, width: '100%' }} />
            {problems.length ? (
              <Alert tone="warning">
                {problems.map(([i, p]) => <div key={i}>Frame {i + 1} {p}.</div>)}
              </Alert>
            ) : null}
            <ErrorAlert error={save.error} title="The template was not saved" />
            {save.isPending && source.kind === 'new' && progress < 1 ? <ProgressBar value={progress * 100} label="Uploading the photo" /> : null}
            {saved ? (
              <Alert tone="success" title="Saved">
                {saved.frame_count} frame{saved.frame_count === 1 ? '' : 's'} for {location.display_name}{saved.replaced ? ' (replacing the previous frames)' : ''}.{' '}
                <Link to="/mockups">Generate a mockup</Link>
              </Alert>
            ) : null}
            <button type="button" className="btn btn-primary" disabled={!canSave} onClick={onSave}>
              {save.isPending ? <Spinner label="Saving" /> : null} {save.isPending ? 'Saving…' : 'Save template'}
            </button>
            {hasTemplate ? (
              <>
                <ErrorAlert error={remove.error} title="The template was not removed" />
                <button type="button" className="btn btn-ghost btn-sm" disabled={remove.isPending} onClick={onRemove}>
                  <Icon name="trash" /> Remove this photo’s frames
                </button>
              </>
            ) : null}
          </aside>
        </div>
      ) : location ? (
        <EmptyState title="Choose a photo">Open one of the location’s photos or add a new one to draw its frames.</EmptyState>
      ) : null}
    </div>
  );
}
