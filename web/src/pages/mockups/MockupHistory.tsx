// Past mockups the user can see, newest first, as a gallery.
import { Badge, EmptyState, ErrorAlert, Loading } from '../../components/ui';
import { useCurrentCompany } from '../../domains/companies/current';
import { useMockupImageUrls, useMockups } from '../../domains/mockups/hooks';
import { useUserNames } from '../../domains/admin/hooks';
import { formatDateTime, humanize } from '../../lib/format';

export function MockupHistory() {
  const { company } = useCurrentCompany();
  const mockups = useMockups(company);
  const rows = mockups.data ?? [];
  const urls = useMockupImageUrls(rows.map((m) => m.output_path).filter((p): p is string => Boolean(p)));
  const userName = useUserNames(rows.map((m) => m.owner_id));

  if (mockups.isLoading) return <Loading />;
  return (
    <section className="card" aria-labelledby="mockup-history-title">
      <h2 id="mockup-history-title">Mockup history</h2>
      <ErrorAlert error={mockups.error} title="Mockups could not be loaded" onRetry={() => void mockups.refetch()} />
      {rows.length === 0 && !mockups.error ? <EmptyState title="No mockups yet">Generated mockups appear here.</EmptyState> : null}
      <ul className="gallery" style={{ listStyle: 'none', padding: 0 }} data-testid="mockup-history">
        {rows.map((m) => {
          const url = m.output_path ? urls.data?.[m.output_path] : undefined;
          return (
            <li key={m.id}>
              <figure>
                {url ? <img src={url} alt={`Mockup of ${humanize(m.location_key)}`} loading="lazy" /> : <div className="empty small" style={{ aspectRatio: '3 / 2' }}>{m.status === 'failed' ? 'Rendering failed' : 'Rendering…'}</div>}
                <figcaption>
                  <div className="row between"><strong>{humanize(m.location_key)}</strong><Badge tone={m.status === 'ready' ? 'success' : m.status === 'failed' ? 'danger' : 'info'}>{m.status}</Badge></div>
                  <div className="faint">{[m.time_of_day, m.side?.replace('_', ' ')].filter(Boolean).join(' · ') || m.environment} · {userName(m.owner_id)}</div>
                  <div className="faint">{formatDateTime(m.created_at)}</div>
                </figcaption>
              </figure>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
