// Search-as-you-type location picker (ARIA combobox): arrow keys move, Enter adds.
import { type KeyboardEvent, useId, useState } from 'react';
import { Badge, Spinner } from '../../components/ui';
import { useLocationSearch, type LocationSummary } from '../../domains/locations/hooks';
import { useCompanyNames } from '../../domains/companies/hooks';
import { useCurrentCompany } from '../../domains/companies/current';
import { useDebounced } from '../../lib/hooks';

export function LocationPicker({ onPick, picked, label = 'Add a location' }: {
  onPick(location: LocationSummary): void;
  picked: (l: LocationSummary) => boolean;
  label?: string;
}) {
  const { company, companies } = useCurrentCompany();
  const companyName = useCompanyNames();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebounced(text, 200);
  const search = useLocationSearch(company, query);
  const results = search.data ?? [];
  const id = useId();
  const listId = `${id}-list`;

  const choose = (l: LocationSummary) => {
    onPick(l);
    setText('');
    setActive(0);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && open && results[active]) {
      e.preventDefault();
      choose(results[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  return (
    <div className="field" style={{ position: 'relative' }}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="input"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && results[active] ? `${listId}-${active}` : undefined}
        placeholder="Search by name, key, series or city"
        value={text}
        onChange={(e) => { setText(e.target.value); setOpen(true); setActive(0); }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKey}
        autoComplete="off"
      />
      {open ? (
        <ul className="listbox" id={listId} role="listbox" aria-label="Locations" style={{ position: 'absolute', top: '100%', left: 0, right: 0, zIndex: 10, marginTop: 4, boxShadow: 'var(--shadow)' }}>
          {search.isLoading ? <li aria-disabled="true"><Spinner /> Searching…</li> : null}
          {!search.isLoading && results.length === 0 ? <li aria-disabled="true" className="muted">No location matches “{text}”.</li> : null}
          {results.map((l, i) => (
            <li
              key={`${l.company}/${l.location_key}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => { e.preventDefault(); choose(l); }}
              onMouseEnter={() => setActive(i)}
            >
              <span>
                {l.display_name} <span className="faint small mono">{l.location_key}</span>
                {picked(l) ? <span className="small muted"> · added</span> : null}
              </span>
              <span className="row" style={{ gap: 6 }}>
                {companies.length > 1 && !company ? <span className="small faint">{companyName(l.company)}</span> : null}
                <Badge tone={l.display_type === 'digital' ? 'info' : undefined}>{l.display_type}</Badge>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
