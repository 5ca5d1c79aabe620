// Header inbox: unread count, the latest notifications, links to their booking orders.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useMarkNotificationsRead, useNotifications } from '../domains/notifications/hooks';
import { formatDateTime } from '../lib/format';

export function NotificationsMenu() {
  const inbox = useNotifications();
  const markRead = useMarkNotificationsRead();
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!panel.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  // No inbox on this platform (or not allowed): no bell.
  if (inbox.error || !inbox.data) return null;
  const unread = inbox.data.filter((n) => !n.read_at);

  return (
    <div style={{ position: 'relative' }}>
      <button ref={button} type="button" className="btn btn-ghost btn-sm" aria-expanded={open} aria-controls="notifications-panel"
        aria-label={unread.length ? `Notifications, ${unread.length} unread` : 'Notifications'} onClick={() => setOpen((o) => !o)}>
        <svg className="nav-icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" aria-hidden="true">
          <path d="M6 16V11a6 6 0 1112 0v5l2 2H4zM10 20a2 2 0 004 0" />
        </svg>
        {unread.length ? <span className="badge badge-info" style={{ padding: '0 6px' }}>{unread.length}</span> : null}
      </button>
      {open ? (
        <div ref={panel} id="notifications-panel" className="card" role="region" aria-label="Notifications"
          style={{ position: 'absolute', right: 0, top: 'calc(100% + 8px)', width: 'min(360px, 90vw)', maxHeight: 420, overflow: 'auto', padding: 12, zIndex: 30 }}>
          <div className="list-row" style={{ marginBottom: 8 }}>
            <strong>Notifications</strong>
            <span>
              <button type="button" className="btn btn-ghost btn-sm" disabled={!unread.length || markRead.isPending} onClick={() => markRead.mutate(null)}>Mark all read</button>
            </span>
          </div>
          {inbox.data.length === 0 ? <p className="small muted">Nothing yet.</p> : null}
          <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: 8 }}>
            {inbox.data.map((n) => (
              <li key={n.id} className="item-card" style={{ padding: 10, opacity: n.read_at ? 0.7 : 1 }}>
                <div className="small"><strong>{n.title}</strong></div>
                <div className="small faint">{formatDateTime(n.created_at)}</div>
                <div className="small muted" style={{ whiteSpace: 'pre-line', marginTop: 4 }}>{n.body}</div>
                {n.booking_order_id ? (
                  <Link className="small" to={`/booking-orders/${n.booking_order_id}`} onClick={() => { setOpen(false); if (!n.read_at) markRead.mutate([n.id]); }}>
                    Open the booking order
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
