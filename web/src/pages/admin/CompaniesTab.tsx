// Companies: the group tree, which companies have their inventory schema, and provisioning a
// new company (schema with locations, photos, frames, rate cards) under a group.
import { type FormEvent, useState } from 'react';
import { Alert, Badge, ErrorAlert, Field, Loading } from '../../components/ui';
import { useCompanies } from '../../domains/companies/hooks';
import { useProvisionCompany } from '../../domains/admin/hooks';

type Company = NonNullable<ReturnType<typeof useCompanies>['data']>[number];

function CompanyTree({ companies, parent }: { companies: Company[]; parent: string | null }) {
  const children = companies.filter((c) => c.parent_id === parent);
  if (!children.length) return null;
  return (
    <ul className={parent ? undefined : 'tree'} aria-label={parent ? undefined : 'Companies'}>
      {children.map((c) => (
        <li key={c.id}>
          <strong>{c.name}</strong> <span className="small faint mono">{c.slug}</span>{' '}
          {c.is_group ? <Badge>group</Badge> : <Badge tone={c.schema_provisioned_at ? 'success' : 'warning'}>{c.schema_provisioned_at ? 'provisioned' : 'no schema'}</Badge>}{' '}
          {!c.is_group ? <span className="small faint">{c.country ?? ''} {c.currency}</span> : null}
          {!c.is_active ? <Badge tone="danger">inactive</Badge> : null}
          <CompanyTree companies={companies} parent={c.id} />
        </li>
      ))}
    </ul>
  );
}

export function CompaniesTab() {
  const companies = useCompanies();
  const provision = useProvisionCompany();
  const [form, setForm] = useState({ slug: '', name: '', parent: 'mmg' });
  const groups = (companies.data ?? []).filter((c) => c.is_group);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    provision.mutate({ slug: form.slug.trim(), name: form.name.trim(), parentSlug: form.parent });
  };
  return (
    <div className="grid grid-2">
      <section className="card" aria-labelledby="companies-title">
        <h2 id="companies-title">Company tree</h2>
        <ErrorAlert error={companies.error} title="Companies could not be loaded" />
        {companies.isLoading ? <Loading /> : null}
        {companies.data ? <CompanyTree companies={companies.data} parent={null} /> : null}
      </section>
      <section className="card" aria-labelledby="provision-title">
        <h2 id="provision-title">Provision a company</h2>
        <p className="small muted">Creates the company under a group and its inventory schema. Running it again for an existing company changes nothing.</p>
        <form className="stack" onSubmit={submit}>
          <Field label="Slug" hint="Lower case, becomes the schema name, e.g. backlite_riyadh">
            {(id, d) => <input id={id} aria-describedby={d} className="input mono" required pattern="[a-z][a-z0-9_]{1,40}" value={form.slug} onChange={(e) => setForm({ ...form, slug: e.target.value })} />}
          </Field>
          <Field label="Name">{(id) => <input id={id} className="input" required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
          <Field label="Group">
            {(id) => (
              <select id={id} className="select" value={form.parent} onChange={(e) => setForm({ ...form, parent: e.target.value })}>
                {groups.map((g) => <option key={g.id} value={g.slug}>{g.name}</option>)}
              </select>
            )}
          </Field>
          <ErrorAlert error={provision.error} title="The company could not be provisioned" />
          {provision.data ? (
            <Alert tone="success">{provision.data.created ? `Company ${provision.data.slug} provisioned.` : `${provision.data.slug} already existed; nothing changed.`}</Alert>
          ) : null}
          <div><button type="submit" className="btn btn-primary btn-sm" disabled={provision.isPending}>Provision</button></div>
        </form>
      </section>
    </div>
  );
}
