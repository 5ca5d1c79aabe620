// Permission sets: named bundles of permissions that can be given to users with an expiry.
// The database only lets an administrator put permissions in a set that they hold themselves.
import { type FormEvent, useState } from 'react';
import { Badge, ErrorAlert, Field, Loading } from '../../components/ui';
import { Icon } from '../../components/icons';
import {
  useAddSetPermission, useCreatePermissionSet, usePermissionCatalogue, usePermissionSets, useRemoveSetPermission,
  useSetPermissions, useUpdatePermissionSet, useUserSets,
} from '../../domains/admin/hooks';

export function PermissionSetsTab() {
  const sets = usePermissionSets();
  const setPermissions = useSetPermissions();
  const userSets = useUserSets();
  const catalogue = usePermissionCatalogue();
  const create = useCreatePermissionSet();
  const update = useUpdatePermissionSet();
  const add = useAddSetPermission();
  const remove = useRemoveSetPermission();
  const [form, setForm] = useState({ name: '', display_name: '', description: '', permissions: [] as string[] });
  const [adding, setAdding] = useState<Record<string, string>>({});

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      set: { name: form.name.trim(), display_name: form.display_name.trim(), description: form.description.trim() || null },
      permissions: form.permissions,
    }, { onSuccess: () => setForm({ name: '', display_name: '', description: '', permissions: [] }) });
  };
  const error = update.error ?? add.error ?? remove.error;

  return (
    <div className="split">
      <section className="card" aria-labelledby="sets-title">
        <h2 id="sets-title">Permission sets</h2>
        <ErrorAlert error={sets.error} title="Permission sets could not be loaded" />
        <ErrorAlert error={error} title="The change was refused" />
        {sets.isLoading ? <Loading /> : null}
        <div className="stack">
          {(sets.data ?? []).map((s) => {
            const perms = (setPermissions.data ?? []).filter((p) => p.set_id === s.id);
            const holders = (userSets.data ?? []).filter((u) => u.set_id === s.id).length;
            return (
              <article key={s.id} className="item-card" aria-label={s.display_name}>
                <div className="row between">
                  <div>
                    <h3 style={{ margin: 0 }}>{s.display_name} {!s.is_active ? <Badge tone="danger">inactive</Badge> : null}</h3>
                    <span className="small faint mono">{s.name}</span> <span className="small muted">· {holders} user{holders === 1 ? '' : 's'}</span>
                    {s.description ? <p className="small muted" style={{ margin: '4px 0 0' }}>{s.description}</p> : null}
                  </div>
                  <label className="checkbox small">
                    <input type="checkbox" checked={s.is_active} onChange={(e) => update.mutate({ id: s.id, patch: { is_active: e.target.checked } })} />
                    Active
                  </label>
                </div>
                <ul className="row" style={{ listStyle: 'none', padding: 0, margin: '10px 0', gap: 6 }} aria-label={`Permissions of ${s.display_name}`}>
                  {perms.map((p) => (
                    <li key={p.permission} className="badge" style={{ textTransform: 'none' }}>
                      <span className="mono">{p.permission}</span>
                      <button type="button" className="btn btn-ghost" style={{ minHeight: 0, padding: 0, border: 0 }} aria-label={`Remove ${p.permission} from ${s.display_name}`}
                        onClick={() => remove.mutate({ setId: s.id, permission: p.permission })}><Icon name="close" className="nav-icon" /></button>
                    </li>
                  ))}
                  {perms.length === 0 ? <li className="small muted">No permissions.</li> : null}
                </ul>
                <form className="row" onSubmit={(e) => { e.preventDefault(); const p = adding[s.id]?.trim(); if (p) add.mutate({ setId: s.id, permission: p }, { onSuccess: () => setAdding({ ...adding, [s.id]: '' }) }); }}>
                  <label className="visually-hidden" htmlFor={`add-perm-${s.id}`}>Add a permission to {s.display_name}</label>
                  <input id={`add-perm-${s.id}`} className="input mono" style={{ flex: 1 }} list="permission-catalogue" placeholder="module:resource:action"
                    value={adding[s.id] ?? ''} onChange={(e) => setAdding({ ...adding, [s.id]: e.target.value })} />
                  <button type="submit" className="btn btn-sm" disabled={!adding[s.id]?.trim()}>Add</button>
                </form>
              </article>
            );
          })}
        </div>
        <datalist id="permission-catalogue">
          {(catalogue.data ?? []).map((p) => <option key={p.permission} value={p.permission}>{p.description ?? ''}</option>)}
        </datalist>
      </section>
      <aside className="card sticky" aria-labelledby="new-set-title">
        <h2 id="new-set-title">New permission set</h2>
        <form className="stack" onSubmit={submit}>
          <Field label="Key" hint="Lower case, e.g. data_export">{(id, d) => <input id={id} aria-describedby={d} className="input mono" required pattern="[a-z][a-z0-9_]{1,62}" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
          <Field label="Display name">{(id) => <input id={id} className="input" required value={form.display_name} onChange={(e) => setForm({ ...form, display_name: e.target.value })} />}</Field>
          <Field label="Description">{(id) => <textarea id={id} className="textarea" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />}</Field>
          <Field label="Permissions" hint="Hold Ctrl or Shift to choose several">
            {(id, d) => (
              <select id={id} aria-describedby={d} className="select" multiple size={8} value={form.permissions}
                onChange={(e) => setForm({ ...form, permissions: Array.from(e.target.selectedOptions).map((o) => o.value) })}>
                {(catalogue.data ?? []).map((p) => <option key={p.permission} value={p.permission}>{p.permission}</option>)}
              </select>
            )}
          </Field>
          <ErrorAlert error={create.error} title="The set could not be created" />
          <div><button type="submit" className="btn btn-primary btn-sm" disabled={create.isPending}>Create set</button></div>
        </form>
      </aside>
    </div>
  );
}
