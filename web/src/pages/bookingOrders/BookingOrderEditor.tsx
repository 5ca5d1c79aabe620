// A coordinator's changes to an order at the coordinator stage: in plain words (the
// booking-orders function's model turns them into a patch, or resubmits on "execute"), or field
// by field in a form whose patch goes straight to public.edit_booking_order. Either way SQL
// validates and recalculates; its message for a bad value is shown next to that field.
import { useState } from 'react';
import { Alert, Field, Spinner } from '../../components/ui';
import { Icon } from '../../components/icons';
import { changeErrorTitle } from '../../domains/bookingOrders/functions';
import { useDescribeChange, useEditBookingOrder } from '../../domains/bookingOrders/hooks';
import {
  type BookingOrderForm, emptyLocation, fieldOfError, FormInputError, formFromFields, type LocationForm, MONEY_FIELDS,
  patchFromForm, PERCENT_FIELDS, TEXT_FIELDS,
} from '../../domains/bookingOrders/input';
import type { BookingOrder } from '../../domains/bookingOrders/types';
import { useCurrencies } from '../../domains/proposals/hooks';
import { toApiError } from '../../lib/errors';

function DescribeChange({ bo, onChanged }: { bo: BookingOrder; onChanged(): void }) {
  const [message, setMessage] = useState('');
  const describe = useDescribeChange();
  const error = describe.error ? toApiError(describe.error) : null;
  return (
    <form className="stack" onSubmit={(e) => {
      e.preventDefault();
      if (message.trim()) describe.mutate({ id: bo.id, message: message.trim() }, { onSuccess: () => { setMessage(''); onChanged(); } });
    }}>
      <Field label="Describe the change" hint="For example: “SLA is 5 %”, “move the Gateway to January”, or “done, resubmit it”.">
        {(id, d) => <textarea id={id} aria-describedby={d} className="textarea" value={message} maxLength={4000}
          onChange={(e) => setMessage(e.target.value)} disabled={describe.isPending} />}
      </Field>
      <div className="row">
        <button type="submit" className="btn" disabled={!message.trim() || describe.isPending}>
          {describe.isPending ? <Spinner label="Working" /> : null} Apply the change
        </button>
      </div>
      {error ? <Alert tone="error" title={changeErrorTitle(error.code)}>{error.message}</Alert> : null}
      {describe.data ? (
        <Alert tone="success" title={describe.data.action === 'view' ? 'The order' : describe.data.action === 'execute' ? 'Resubmitted' : 'Changed'}>
          <span style={{ whiteSpace: 'pre-line' }} data-testid="bo-change-answer">{describe.data.message}</span>
        </Alert>
      ) : null}
    </form>
  );
}

function FieldsForm({ bo, onSaved }: { bo: BookingOrder; onSaved(summary: string): void }) {
  // What the coordinator saw when the form opened: the patch holds only what they changed since.
  const [original] = useState(() => formFromFields(bo.fields));
  const [form, setForm] = useState<BookingOrderForm>(original);
  const [problem, setProblem] = useState<{ field: string | null; message: string; hint?: string } | null>(null);
  const edit = useEditBookingOrder();
  const currencies = useCurrencies();

  const set = <K extends keyof BookingOrderForm>(key: K, value: BookingOrderForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const setLocation = (index: number, key: keyof LocationForm, value: string) =>
    setForm((f) => ({ ...f, locations: f.locations.map((l, i) => (i === index ? { ...l, [key]: value } : l)) }));
  const errorFor = (field: string) => (problem?.field === field ? problem.message : undefined);

  const save = () => {
    setProblem(null);
    let patch: Record<string, unknown>;
    try {
      patch = patchFromForm(form, original);
    } catch (e) {
      if (e instanceof FormInputError) {
        setProblem({ field: e.field, message: e.message });
        return;
      }
      throw e;
    }
    if (Object.keys(patch).length === 0) {
      setProblem({ field: null, message: 'Nothing has changed yet.' });
      return;
    }
    edit.mutate({ id: bo.id, patch }, {
      onSuccess: (order) => onSaved(`Saved. Net ${order.display.net_pre_vat ?? '—'}, VAT ${order.display.vat_amount ?? '—'}, gross ${order.display.gross_amount ?? '—'}.`),
      onError: (e) => {
        const err = toApiError(e);
        setProblem({ field: err.code === '22023' ? fieldOfError(err.message) : null, message: err.message, hint: err.hint });
      },
    });
  };

  const general = problem && (!problem.field || problem.field.startsWith('locations')) ? problem : null;
  return (
    <form className="stack" aria-label="Booking order fields" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <div className="grid grid-2">
        {TEXT_FIELDS.map(([key, label]) => (
          <Field key={key} label={label} error={errorFor(key)}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={Boolean(errorFor(key))} className="input" value={form[key]} onChange={(e) => set(key, e.target.value)} />}
          </Field>
        ))}
        <Field label="BO date" error={errorFor('bo_date')}>
          {(id, d) => <input id={id} aria-describedby={d} aria-invalid={Boolean(errorFor('bo_date'))} className="input" type="date" value={form.bo_date} onChange={(e) => set('bo_date', e.target.value)} />}
        </Field>
        <Field label="Currency" error={errorFor('currency')} hint="Changing it converts every amount on the order.">
          {(id, d) => (
            <select id={id} aria-describedby={d} className="select" value={form.currency} onChange={(e) => set('currency', e.target.value)}>
              {(currencies.data ?? [{ code: form.currency, name: form.currency }]).map((c) => <option key={c.code} value={c.code}>{c.code} — {c.name}</option>)}
            </select>
          )}
        </Field>
        <Field label="Asset codes" hint="Separated by commas." error={errorFor('asset')}>
          {(id, d) => <input id={id} aria-describedby={d} className="input" value={form.asset} onChange={(e) => set('asset', e.target.value)} />}
        </Field>
        {PERCENT_FIELDS.map(([key, label]) => (
          <Field key={key} label={`${label} (%)`} error={errorFor(key)}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={Boolean(errorFor(key))} className="input" inputMode="decimal" value={form[key]} onChange={(e) => set(key, e.target.value)} />}
          </Field>
        ))}
        {MONEY_FIELDS.map(([key, label]) => (
          <Field key={key} label={`${label} (${form.currency})`} error={errorFor(key)}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={Boolean(errorFor(key))} className="input" inputMode="decimal" value={form[key]} onChange={(e) => set(key, e.target.value)} />}
          </Field>
        ))}
      </div>
      <Field label="Notes" error={errorFor('notes')}>
        {(id, d) => <textarea id={id} aria-describedby={d} className="textarea" value={form.notes} onChange={(e) => set('notes', e.target.value)} />}
      </Field>

      <fieldset className="stack" style={{ border: '1px solid var(--border)', borderRadius: 'var(--radius-md)', padding: 12, margin: 0, minWidth: 0 }}>
        <legend style={{ fontWeight: 600, padding: '0 4px' }}>Locations</legend>
        {form.locations.length === 0 ? <p className="small muted" style={{ margin: 0 }}>No locations.</p> : null}
        {form.locations.map((l, i) => {
          const bad = (key: keyof LocationForm) => problem?.field === `locations.${i}.${key}` || problem?.field === `locations.${i}`;
          const input = (key: keyof LocationForm, label: string, type = 'text') => (
            <Field label={key === 'net_amount' ? `${label} (${form.currency})` : label}>
              {(id) => (
                <input id={id} className="input" type={type} aria-invalid={bad(key)} inputMode={key === 'net_amount' ? 'decimal' : undefined}
                  value={l[key]} onChange={(e) => setLocation(i, key, e.target.value)} />
              )}
            </Field>
          );
          return (
            <fieldset key={l.key} className="stack" style={{ border: 0, borderTop: '1px solid var(--border)', padding: '8px 0 0', margin: 0, minWidth: 0 }}>
              <legend className="small" style={{ padding: 0, fontWeight: 700 }}>Location {i + 1}</legend>
              <div className="grid grid-3">
                {input('name', 'Name')}
                {input('asset', 'Asset code')}
                {input('campaign_duration', 'Duration')}
                {input('start_date', 'Start', 'date')}
                {input('end_date', 'End', 'date')}
                {input('net_amount', 'Net amount')}
              </div>
              <div className="row">
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setForm((f) => ({ ...f, locations: f.locations.filter((_, j) => j !== i) }))}>
                  <Icon name="trash" /> Remove location {i + 1}
                </button>
              </div>
            </fieldset>
          );
        })}
        <div className="row">
          <button type="button" className="btn btn-sm" onClick={() => setForm((f) => ({ ...f, locations: [...f.locations, emptyLocation()] }))}>
            <Icon name="plus" /> Add a location
          </button>
        </div>
      </fieldset>

      {general ? (
        <Alert tone={general.field === null && general.message === 'Nothing has changed yet.' ? 'info' : 'error'} title={general.message === 'Nothing has changed yet.' ? undefined : 'The change was refused'}>
          <span data-testid="bo-edit-error">{general.message}</span>
          {general.hint ? <div className="small muted">{general.hint}</div> : null}
        </Alert>
      ) : problem ? <Alert tone="error" title="The change was refused"><span data-testid="bo-edit-error">{problem.message}</span></Alert> : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={edit.isPending}>
          {edit.isPending ? <Spinner label="Saving" /> : null} Save changes
        </button>
        <button type="button" className="btn btn-ghost" disabled={edit.isPending} onClick={() => { setForm(original); setProblem(null); }}>Undo my changes</button>
      </div>
    </form>
  );
}

/** Shown to the order's coordinators while it is with them (pending, editing, rejected by the head of sales). */
export function BookingOrderEditor({ bo }: { bo: BookingOrder }) {
  const [saved, setSaved] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  // The form starts again from the stored order after each change made here — not on every
  // refetch, which would unmount it (and drop its callbacks) in the middle of a save.
  const [revision, setRevision] = useState(0);
  return (
    <section className="card" aria-labelledby="bo-edit-title">
      <h2 id="bo-edit-title">Change the order</h2>
      <DescribeChange bo={bo} onChanged={() => setRevision((r) => r + 1)} />
      <hr style={{ border: 0, borderTop: '1px solid var(--border)', margin: '16px 0' }} />
      <div className="row between">
        <h3 style={{ margin: 0 }}>Edit the fields</h3>
        <button type="button" className="btn btn-sm" aria-expanded={open} aria-controls="bo-fields-form" onClick={() => { setOpen((o) => !o); setSaved(null); }}>
          {open ? 'Close the form' : 'Edit the fields'}
        </button>
      </div>
      {saved ? <Alert tone="success"><span data-testid="bo-edit-saved">{saved}</span></Alert> : null}
      {open ? (
        <div id="bo-fields-form" style={{ marginTop: 12 }}>
          <FieldsForm key={revision} bo={bo} onSaved={(summary) => { setSaved(summary); setRevision((r) => r + 1); }} />
        </div>
      ) : null}
    </section>
  );
}
