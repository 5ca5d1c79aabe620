// Progress of a proposal being rendered, then its downloads.
import { Alert, ErrorAlert, ProgressBar } from '../../components/ui';
import { Icon } from '../../components/icons';
import { proposalFilename, useDownloadProposalFile, useProposal } from '../../domains/proposals/hooks';
import { useRenderJob } from '../../domains/renderJobs/hooks';
import { startDownload } from '../../lib/download';

export function GenerationStatus({ proposalId, jobId }: { proposalId: string; jobId: string }) {
  const job = useRenderJob(jobId);
  const done = job.data?.status === 'succeeded';
  const proposal = useProposal(done ? proposalId : null);
  const download = useDownloadProposalFile();
  const p = proposal.data;

  if (job.error) return <ErrorAlert error={job.error} title="Progress unavailable" onRetry={() => void job.refetch()} />;
  if (job.data?.status === 'failed') {
    return <Alert tone="error" title="The proposal could not be generated">{job.data.error}</Alert>;
  }
  if (!done || !p) {
    const label = job.data?.status === 'running' ? 'Rendering the proposal' : 'Waiting for the renderer';
    return <ProgressBar value={job.data?.progress ?? 0} label={label} />;
  }
  const get = (path: string, ext: 'pdf' | 'pptx') => download.mutate(
    { path, filename: proposalFilename(p.client_name, p.created_at, ext) },
    { onSuccess: (url) => startDownload(url) },
  );
  return (
    <Alert tone="success" title="Your proposal is ready">
      <div className="row" style={{ marginTop: 8 }}>
        {p.pdf_path ? (
          <button type="button" className="btn btn-primary btn-sm" data-testid="download-pdf" onClick={() => get(p.pdf_path!, 'pdf')} disabled={download.isPending}>
            <Icon name="download" /> Download PDF
          </button>
        ) : null}
        {p.pptx_path ? (
          <button type="button" className="btn btn-sm" onClick={() => get(p.pptx_path!, 'pptx')} disabled={download.isPending}>
            <Icon name="download" /> PowerPoint
          </button>
        ) : null}
      </div>
      <ErrorAlert error={download.error} title="Download failed" />
    </Alert>
  );
}
