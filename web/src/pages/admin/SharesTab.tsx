// Record shares: who was given access to which proposal, mockup, booking order or
// conversation, until when. Shares are made from the records; here they are reviewed and revoked.
import { Badge, EmptyState, ErrorAlert, Loading } from '../../components/ui';
import { useRecordShares, useRevokeShare, useTeams, useUserNames } from '../../domains/admin/hooks';
import { formatDateTime, humanize } from '../../lib/format';

export function SharesTab() {
  const shares = useRecordShares();
  const teams = useTeams();
  const revoke = useRevokeShare();
  const rows = shares.data ?? [];
  const userName = useUserNames(rows.flatMap((s) => [s.shared_with_user_id, s.shared_by]));
  return (
    <section className="card" aria-labelledby="shares-title">
      <h2 id="shares-title">Record shares</h2>
      <ErrorAlert error={shares.error ?? revoke.error} title="Shares could not be loaded or changed" />
      {shares.isLoading ? <Loading /> : null}
      {shares.data && rows.length === 0 ? <EmptyState title="No record is shared">Shares made from proposals, mockups or booking orders appear here.</EmptyState> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <thead><tr><th scope="col">Record</th><th scope="col">Shared with</th><th scope="col">Access</th><th scope="col">By</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id}>
                  <td>{humanize(s.record_type)} <span className="small faint mono">{s.record_id.slice(0, 8)}</span>{s.reason ? <div className="small muted">{s.reason}</div> : null}</td>
                  <td>{s.shared_with_user_id ? userName(s.shared_with_user_id) : `Team ${teams.data?.find((t) => t.id === s.shared_with_team_id)?.display_name ?? ''}`}</td>
                  <td><Badge>{s.access}</Badge></td>
                  <td className="small">{userName(s.shared_by)} · {formatDateTime(s.shared_at)}</td>
                  <td className="small">{s.expires_at ? formatDateTime(s.expires_at) : 'never'}</td>
                  <td><button type="button" className="btn btn-sm" onClick={() => revoke.mutate(s.id)}>Revoke</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
