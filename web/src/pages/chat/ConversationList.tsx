// The person's conversations, newest first: open, start new, rename, delete.
import { useState } from 'react';
import { NavLink, useNavigate, useParams } from 'react-router';
import { ErrorAlert, Loading } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useConversations, useDeleteConversation, useRenameConversation } from '../../domains/chat/hooks';
import { formatDateTime } from '../../lib/format';

export function ConversationList() {
  const conversations = useConversations();
  const rename = useRenameConversation();
  const remove = useDeleteConversation();
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const [editing, setEditing] = useState<string | null>(null);
  const [title, setTitle] = useState('');

  return (
    <nav className="card chat-list" aria-label="Conversations">
      <button type="button" className="btn btn-primary" style={{ width: '100%', marginBottom: 12 }} onClick={() => navigate('/chat')}>
        <Icon name="plus" /> New conversation
      </button>
      <ErrorAlert error={conversations.error ?? rename.error ?? remove.error} title="Conversations" />
      {conversations.isLoading ? <Loading /> : null}
      <ul className="nav-list" data-testid="conversation-list">
        {(conversations.data ?? []).map((c) => (
          <li key={c.id}>
            {editing === c.id ? (
              <form className="row" style={{ gap: 4, flexWrap: 'nowrap' }} onSubmit={(e) => {
                e.preventDefault();
                rename.mutate({ id: c.id, title: title.trim() || 'Untitled' }, { onSuccess: () => setEditing(null) });
              }}>
                <label className="visually-hidden" htmlFor={`title-${c.id}`}>Conversation title</label>
                <input id={`title-${c.id}`} className="input" autoFocus value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)}
                  onKeyDown={(e) => { if (e.key === 'Escape') setEditing(null); }} />
                <button type="submit" className="btn btn-sm">Save</button>
              </form>
            ) : (
              <div className="list-row">
                <NavLink to={`/chat/${c.id}`} className="nav-link" style={{ flexDirection: 'column', alignItems: 'flex-start', gap: 0 }}>
                  <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: '100%' }}>{c.title || 'Untitled'}</span>
                  <span className="small faint">{formatDateTime(c.last_message_at ?? c.created_at)}</span>
                </NavLink>
                <span>
                  <button type="button" className="btn btn-ghost icon-btn" aria-label={`Rename ${c.title || 'conversation'}`} onClick={() => { setEditing(c.id); setTitle(c.title ?? ''); }}>
                    <Icon name="settings" />
                  </button>
                  <button type="button" className="btn btn-ghost icon-btn" aria-label={`Delete ${c.title || 'conversation'}`}
                    onClick={() => {
                      if (!window.confirm(`Delete “${c.title || 'Untitled'}” and its messages?`)) return;
                      remove.mutate(c.id, { onSuccess: () => { if (c.id === conversationId) navigate('/chat'); } });
                    }}>
                    <Icon name="trash" />
                  </button>
                </span>
              </div>
            )}
          </li>
        ))}
        {conversations.data?.length === 0 ? <li className="small muted">No conversations yet.</li> : null}
      </ul>
    </nav>
  );
}
