// Mockup generation: pick a location with billboard templates, time of day and side, upload
// the creative(s), watch the render job, see (and download) the result.
import { useEffect, useMemo, useState } from 'react';
import { Alert, ErrorAlert, Field, ProgressBar, Segmented, Spinner } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useCompanyNames } from '../../domains/companies/hooks';
import { useCurrentCompany } from '../../domains/companies/current';
import { useLocationPhotoUrl } from '../../domains/locations/hooks';
import { type MockupLocation, type MockupRequest, useMockupLocations, useRequestMockup, useUploadCreative } from '../../domains/mockups/hooks';
import { useAccess } from '../../domains/session/access';
import { formatBytes } from '../../lib/format';
import { MockupResult } from './MockupResult';

type Choice<T extends string> = T | 'all';

interface Creative {
  id: string;
  file: File;
  preview: string;
  progress: number;
  path?: string;
}

const ACCEPT = 'image/png,image/jpeg,image/webp';
const MAX_BYTES = 50 * 1024 * 1024;

const label = (v: string) => ({ all: 'Any', day: 'Day', night: 'Night', gold: 'Gold', silver: 'Silver', single_side: 'Single side', outdoor: 'Outdoor', indoor: 'Indoor' }[v] ?? v);

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function MockupGenerate() {
  const { has } = useAccess();
  const { company } = useCurrentCompany();
  const companyName = useCompanyNames();
  const locations = useMockupLocations(company);
  const [selected, setSelected] = useState('');
  const [environment, setEnvironment] = useState<'outdoor' | 'indoor'>('outdoor');
  const [timeOfDay, setTimeOfDay] = useState<Choice<'day' | 'night'>>('all');
  const [side, setSide] = useState<Choice<'gold' | 'silver' | 'single_side'>>('all');
  const [creatives, setCreatives] = useState<Creative[]>([]);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [result, setResult] = useState<{ mockupId: string; jobId: string } | null>(null);
  const upload = useUploadCreative();
  const requestMockup = useRequestMockup();
  const [uploading, setUploading] = useState(false);

  const location: MockupLocation | undefined = locations.data?.find((l) => `${l.company}/${l.location_key}` === selected);
  const environments = unique(location?.templates.map((t) => t.environment) ?? []);
  const outdoor = environment === 'outdoor';
  const inEnv = location?.templates.filter((t) => t.environment === environment) ?? [];
  const times = unique(inEnv.map((t) => t.time_of_day)).sort();
  const sides = unique(inEnv.filter((t) => timeOfDay === 'all' || t.time_of_day === timeOfDay).map((t) => t.side)).sort();
  const matching = inEnv.filter((t) => !outdoor || ((timeOfDay === 'all' || t.time_of_day === timeOfDay) && (side === 'all' || t.side === side)));
  const frameCounts = unique(matching.map((t) => t.frame_count)).sort((a, b) => a - b);
  const creativesFit = creatives.length === 1 || frameCounts.includes(creatives.length);
  const previewPath = matching[0]?.photo_path ?? null;
  const preview = useLocationPhotoUrl(previewPath);

  // Reset choices the newly picked location does not offer.
  useEffect(() => {
    if (!location) return;
    if (!location.templates.some((t) => t.environment === environment)) setEnvironment(location.templates[0].environment);
  }, [location, environment]);
  useEffect(() => {
    if (timeOfDay !== 'all' && !times.includes(timeOfDay)) setTimeOfDay('all');
    if (side !== 'all' && !sides.includes(side)) setSide('all');
  }, [times, sides, timeOfDay, side]);
  useEffect(() => () => creatives.forEach((c) => URL.revokeObjectURL(c.preview)), [creatives]);

  const addFiles = (files: FileList | File[]) => {
    setFileError(null);
    const next: Creative[] = [];
    for (const file of Array.from(files)) {
      if (!ACCEPT.split(',').includes(file.type)) {
        setFileError(`${file.name}: only PNG, JPEG or WebP images can be used as creatives.`);
        continue;
      }
      if (file.size > MAX_BYTES) {
        setFileError(`${file.name} is ${formatBytes(file.size)}; the limit is 50 MB.`);
        continue;
      }
      next.push({ id: crypto.randomUUID(), file, preview: URL.createObjectURL(file), progress: 0 });
    }
    setCreatives((c) => [...c, ...next]);
    setResult(null);
  };

  const generate = async () => {
    if (!location) return;
    setResult(null);
    requestMockup.reset();
    setUploading(true);
    try {
      const paths: string[] = [];
      for (const c of creatives) {
        if (c.path) {
          paths.push(c.path);
          continue;
        }
        const up = await upload.mutateAsync({
          file: c.file,
          onProgress: (p) => setCreatives((list) => list.map((x) => (x.id === c.id ? { ...x, progress: p } : x))),
        });
        setCreatives((list) => list.map((x) => (x.id === c.id ? { ...x, path: up.path, progress: 1 } : x)));
        paths.push(up.path);
      }
      setUploading(false);
      const request: MockupRequest = {
        location: location.location_key,
        company: location.company,
        environment,
        time_of_day: outdoor ? timeOfDay : 'all',
        side: outdoor ? side : 'all',
        creative_paths: paths,
      };
      const r = await requestMockup.mutateAsync(request);
      setResult({ mockupId: r.mockup_id, jobId: r.job_id });
    } catch {
      // The error is shown from the mutation that failed.
    } finally {
      setUploading(false);
    }
  };

  const busy = uploading || requestMockup.isPending;
  const groups = useMemo(() => {
    const by = new Map<string, MockupLocation[]>();
    for (const l of locations.data ?? []) by.set(l.company, [...(by.get(l.company) ?? []), l]);
    return [...by];
  }, [locations.data]);

  if (!has('sales:mockups:generate')) {
    return <p className="muted">Your profile can look at mockups but not generate them. See the History tab.</p>;
  }

  return (
    <div className="split">
      <div className="stack" style={{ gap: 16 }}>
        <section className="card" aria-labelledby="mockup-where">
          <h2 id="mockup-where">Billboard</h2>
          <ErrorAlert error={locations.error} title="Locations could not be loaded" onRetry={() => void locations.refetch()} />
          <div className="grid grid-2">
            <Field label="Location" hint={locations.data ? `${locations.data.length} locations have billboard photos` : undefined}>
              {(id, d) => (
                <select id={id} aria-describedby={d} className="select" value={selected} onChange={(e) => { setSelected(e.target.value); setResult(null); }}>
                  <option value="">{locations.isLoading ? 'Loading…' : 'Choose a location'}</option>
                  {groups.map(([c, list]) => (
                    <optgroup key={c} label={companyName(c)}>
                      {list.map((l) => <option key={l.location_key} value={`${l.company}/${l.location_key}`}>{l.display_name}</option>)}
                    </optgroup>
                  ))}
                </select>
              )}
            </Field>
            {location && environments.length > 1 ? (
              <div className="field">
                <span className="label">Venue</span>
                <Segmented<'outdoor' | 'indoor'> label="Venue" value={environment} onChange={setEnvironment} options={environments.map((e) => ({ value: e, label: label(e) }))} />
              </div>
            ) : null}
            {location && outdoor ? (
              <>
                <div className="field">
                  <span className="label">Time of day</span>
                  <Segmented<Choice<'day' | 'night'>> label="Time of day" value={timeOfDay} onChange={setTimeOfDay}
                    options={(['all', 'day', 'night'] as const).map((v) => ({ value: v, label: label(v), disabled: v !== 'all' && !times.includes(v) }))} />
                </div>
                <div className="field">
                  <span className="label">Billboard side</span>
                  <Segmented<Choice<'gold' | 'silver' | 'single_side'>> label="Billboard side" value={side} onChange={setSide}
                    options={(['all', 'gold', 'silver', 'single_side'] as const).map((v) => ({ value: v, label: label(v), disabled: v !== 'all' && !sides.includes(v) }))} />
                </div>
              </>
            ) : null}
          </div>
          {location ? (
            <p className="small muted" style={{ marginTop: 12 }}>
              {matching.length} matching photo{matching.length === 1 ? '' : 's'} · frames per photo: {frameCounts.join(' or ') || '—'}.
              {' '}Upload one creative (used on every frame){frameCounts.some((n) => n > 1) ? ` or one per frame (${frameCounts.filter((n) => n > 1).join(' or ')})` : ''}.
            </p>
          ) : null}
        </section>

        <section className="card" aria-labelledby="mockup-creatives">
          <h2 id="mockup-creatives">Creatives</h2>
          <div
            className="dropzone"
            data-active={dragging}
            onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => { e.preventDefault(); setDragging(false); addFiles(e.dataTransfer.files); }}
          >
            <p>Drop PNG, JPEG or WebP artwork here, or</p>
            <label className="btn">
              <Icon name="plus" /> Choose images
              <input className="visually-hidden" type="file" accept={ACCEPT} multiple aria-label="Creative images"
                onChange={(e) => { if (e.target.files) addFiles(e.target.files); e.target.value = ''; }} />
            </label>
          </div>
          {fileError ? <Alert tone="error">{fileError}</Alert> : null}
          {creatives.length ? (
            <ul className="gallery" style={{ listStyle: 'none', padding: 0, marginTop: 12 }} aria-label="Chosen creatives">
              {creatives.map((c, i) => (
                <li key={c.id}>
                  <figure>
                    <img src={c.preview} alt={`Creative ${i + 1}: ${c.file.name}`} />
                    <figcaption className="stack" style={{ gap: 6 }}>
                      <span className="row between"><span>{i + 1}. {c.file.name}</span><span className="faint">{formatBytes(c.file.size)}</span></span>
                      {c.progress > 0 && c.progress < 1 ? <ProgressBar value={c.progress * 100} label="Uploading" /> : null}
                      <button type="button" className="btn btn-ghost btn-sm" disabled={busy} aria-label={`Remove creative ${c.file.name}`}
                        onClick={() => { setCreatives((list) => list.filter((x) => x.id !== c.id)); setResult(null); }}>
                        <Icon name="trash" /> Remove
                      </button>
                    </figcaption>
                  </figure>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>

      <aside className="card sticky" aria-labelledby="mockup-result-title">
        <h2 id="mockup-result-title">Mockup</h2>
        {preview.data && !result ? (
          <figure style={{ margin: '0 0 12px' }}>
            <img className="result-image" src={preview.data} alt={`Billboard photo of ${location?.display_name ?? 'the location'}`} />
            <figcaption className="small faint">One of the photos the mockup can use.</figcaption>
          </figure>
        ) : null}
        <div className="stack">
          <ErrorAlert error={upload.error} title="Upload failed" />
          <ErrorAlert error={requestMockup.error} title="The mockup could not be started" />
          {location && creatives.length > 0 && !creativesFit ? (
            <Alert tone="warning">These photos take 1 or {frameCounts.join(' / ')} creatives; you chose {creatives.length}.</Alert>
          ) : null}
          <button type="button" className="btn btn-primary" onClick={() => void generate()}
            disabled={!location || creatives.length === 0 || !creativesFit || busy || Boolean(result)}>
            {busy ? <Spinner label="Working" /> : null} {uploading ? 'Uploading…' : 'Generate mockup'}
          </button>
          {result ? <MockupResult mockupId={result.mockupId} jobId={result.jobId} /> : null}
          {result ? <button type="button" className="btn btn-ghost btn-sm" onClick={() => setResult(null)}>Generate another</button> : null}
        </div>
      </aside>
    </div>
  );
}
