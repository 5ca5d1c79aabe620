// Header control for multi-company users: which company the screens work for.
import { useCompanyNames } from '../domains/companies/hooks';
import { useCurrentCompany } from '../domains/companies/current';

export function CompanySwitcher() {
  const { companies, company, setCompany } = useCurrentCompany();
  const name = useCompanyNames();
  if (companies.length === 0) return null;
  if (companies.length === 1) {
    return <span className="badge badge-info" title="Your company">{name(companies[0])}</span>;
  }
  return (
    <label className="row" style={{ gap: 6 }}>
      <span className="visually-hidden">Company</span>
      <select
        className="select"
        style={{ minHeight: 34, width: 'auto' }}
        value={company ?? ''}
        onChange={(e) => setCompany(e.target.value || null)}
        aria-label="Company"
      >
        <option value="">All my companies ({companies.length})</option>
        {companies.map((c) => <option key={c} value={c}>{name(c)}</option>)}
      </select>
    </label>
  );
}
