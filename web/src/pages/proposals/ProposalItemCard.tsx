// One location of the proposal: spots (digital) or production fee (static), and its options —
// several start/duration/net-rate columns for separate, one period for combined.
import { Badge, Field } from '../../components/ui';
import { Icon } from '../../components/icons';
import type { ProposalType } from '../../domains/proposals/types';
import { type DraftItem, type DraftOption, newOption } from './draft';

export function ProposalItemCard({ item, index, proposalType, onChange, onRemove }: {
  item: DraftItem;
  index: number;
  proposalType: ProposalType;
  onChange(item: DraftItem): void;
  onRemove(): void;
}) {
  const combined = proposalType === 'combined';
  const options = combined ? item.options.slice(0, 1) : item.options;
  const setOption = (o: DraftOption) => onChange({ ...item, options: item.options.map((x) => (x.id === o.id ? o : x)) });
  const name = item.location.display_name;

  return (
    <article className="item-card" aria-label={`Location ${index + 1}: ${name}`}>
      <div className="row between" style={{ marginBottom: 12 }}>
        <div>
          <h3 style={{ margin: 0 }}>{index + 1}. {name}</h3>
          <span className="small faint mono">{item.location.location_key}</span>{' '}
          <Badge tone={item.location.display_type === 'digital' ? 'info' : undefined}>{item.location.display_type}</Badge>
        </div>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onRemove} aria-label={`Remove ${name}`}>
          <Icon name="trash" /> Remove
        </button>
      </div>

      <div className="grid grid-3" style={{ marginBottom: 12 }}>
        {item.location.display_type === 'digital' ? (
          <Field label="Spots" hint="1–20 spots in the loop">
            {(id, d) => (
              <input id={id} aria-describedby={d} className="input" type="number" min={1} max={20} value={item.spots}
                onChange={(e) => onChange({ ...item, spots: e.target.value })} />
            )}
          </Field>
        ) : (
          <Field label="Production fee (AED)" hint={item.location.upload_fee != null ? `Empty: upload fee AED ${item.location.upload_fee.toLocaleString('en-US')}` : 'Empty: the location’s upload fee'}>
            {(id, d) => (
              <input id={id} aria-describedby={d} className="input" inputMode="decimal" placeholder="e.g. 12,000" value={item.production_fee}
                onChange={(e) => onChange({ ...item, production_fee: e.target.value })} />
            )}
          </Field>
        )}
      </div>

      <div className="stack" role="group" aria-label={`Periods of ${name}`}>
        {options.map((o, i) => (
          <div className="option-row" key={o.id}>
            <Field label={combined ? 'Start date' : `Option ${i + 1} start`}>
              {(id) => <input id={id} className="input" type="date" value={o.start_date} onChange={(e) => setOption({ ...o, start_date: e.target.value })} />}
            </Field>
            <Field label="Weeks">
              {(id) => <input id={id} className="input" type="number" min={1} max={104} value={o.duration_weeks} onChange={(e) => setOption({ ...o, duration_weeks: e.target.value })} />}
            </Field>
            {combined ? <div /> : (
              <Field label="Net rate (AED)">
                {(id) => <input id={id} className="input" inputMode="decimal" placeholder="e.g. 250,000" value={o.net_rate} onChange={(e) => setOption({ ...o, net_rate: e.target.value })} />}
              </Field>
            )}
            {!combined && item.options.length > 1 ? (
              <button type="button" className="btn btn-ghost icon-btn" aria-label={`Remove option ${i + 1} of ${name}`}
                onClick={() => onChange({ ...item, options: item.options.filter((x) => x.id !== o.id) })}>
                <Icon name="close" />
              </button>
            ) : <div />}
          </div>
        ))}
        {!combined && item.options.length < 10 ? (
          <div>
            <button type="button" className="btn btn-sm" onClick={() => onChange({ ...item, options: [...item.options, { ...newOption(), start_date: item.options[item.options.length - 1]?.start_date ?? newOption().start_date }] })}>
              <Icon name="plus" /> Add option
            </button>
          </div>
        ) : null}
      </div>
    </article>
  );
}
