// A requested mockup: render progress, then the image and its download.
import { Alert, ErrorAlert, ProgressBar } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useMockup, useMockupDownload, useMockupImageUrls } from '../../domains/mockups/hooks';
import { useRenderJob } from '../../domains/renderJobs/hooks';
import { startDownload } from '../../lib/download';

export function MockupResult({ mockupId, jobId }: { mockupId: string; jobId: string }) {
  const job = useRenderJob(jobId);
  const done = job.data?.status === 'succeeded';
  const mockup = useMockup(mockupId, done);
  const path = mockup.data?.output_path ?? null;
  const urls = useMockupImageUrls(path ? [path] : []);
  const download = useMockupDownload();
  const url = path ? urls.data?.[path] : undefined;

  if (job.error) return <ErrorAlert error={job.error} title="Progress unavailable" onRetry={() => void job.refetch()} />;
  if (job.data?.status === 'failed') return <Alert tone="error" title="The mockup could not be rendered">{job.data.error}</Alert>;
  if (!done || !url) {
    return <ProgressBar value={job.data?.progress ?? 0} label={job.data?.status === 'running' ? 'Compositing the creative' : 'Waiting for the renderer'} />;
  }
  const name = `mockup_${mockup.data!.location_key}_${mockup.data!.time_of_day ?? 'indoor'}_${mockup.data!.side ?? 'indoor'}.jpg`;
  return (
    <div className="stack">
      <img className="result-image" src={url} alt={`Mockup of ${mockup.data!.location_key}`} data-testid="mockup-result" />
      <button type="button" className="btn btn-sm" onClick={() => download.mutate({ path: path!, filename: name }, { onSuccess: startDownload })}>
        <Icon name="download" /> Download image
      </button>
      <ErrorAlert error={download.error} title="Download failed" />
    </div>
  );
}
