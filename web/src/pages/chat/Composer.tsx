// Message box with attachments: files upload first (with progress) to the chat upload
// endpoint; Enter sends, Shift+Enter starts a new line.
import { type KeyboardEvent, useState } from 'react';
import { Alert, ProgressBar } from '../../components/ui';
import { Icon } from '../../components/icons';
import { useUploadChatFile } from '../../domains/chat/hooks';
import { toApiError } from '../../lib/errors';
import { formatBytes } from '../../lib/format';

export interface PendingFile {
  id: string;
  file: File;
  progress: number;
  fileId?: string;
  error?: string;
}

const MAX_FILES = 6;
const ACCEPT = '.jpg,.jpeg,.png,.gif,.bmp,.webp,.pdf,.xlsx,.xls,.csv,.docx,.doc,.pptx,.ppt,.txt';

export function Composer({ disabled, onSend, onStop }: { disabled: boolean; onSend(text: string, files: PendingFile[]): void; onStop?: () => void }) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<PendingFile[]>([]);
  const upload = useUploadChatFile();
  const [note, setNote] = useState<string | null>(null);
  const uploading = files.some((f) => !f.fileId && !f.error);
  const ready = text.trim().length > 0 && !uploading && !files.some((f) => f.error) && !disabled;

  const add = (list: FileList) => {
    setNote(null);
    const room = MAX_FILES - files.length;
    const chosen = Array.from(list).slice(0, Math.max(room, 0));
    if (list.length > room) setNote(`At most ${MAX_FILES} files per message.`);
    const pending = chosen.map((file) => ({ id: crypto.randomUUID(), file, progress: 0 }));
    setFiles((f) => [...f, ...pending]);
    for (const p of pending) {
      upload.mutate({ file: p.file, onProgress: (progress) => setFiles((f) => f.map((x) => (x.id === p.id ? { ...x, progress } : x))) }, {
        onSuccess: (stored) => setFiles((f) => f.map((x) => (x.id === p.id ? { ...x, fileId: stored.file_id, progress: 1 } : x))),
        onError: (e) => setFiles((f) => f.map((x) => (x.id === p.id ? { ...x, error: toApiError(e).message } : x))),
      });
    }
  };

  const submit = () => {
    if (!ready) return;
    onSend(text.trim(), files);
    setText('');
    setFiles([]);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className="stack" style={{ marginTop: 12 }} onSubmit={(e) => { e.preventDefault(); submit(); }} aria-label="New message">
      {files.length ? (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0, gap: 6 }} aria-label="Attachments">
          {files.map((f) => (
            <li key={f.id} className="item-card" style={{ padding: 8 }}>
              <div className="list-row small">
                <span>{f.file.name} <span className="faint">{formatBytes(f.file.size)}</span></span>
                <button type="button" className="btn btn-ghost btn-sm" aria-label={`Remove ${f.file.name}`} onClick={() => setFiles((list) => list.filter((x) => x.id !== f.id))}><Icon name="close" /></button>
              </div>
              {f.error ? <span className="small" style={{ color: 'var(--danger-500)' }}>{f.error}</span> : !f.fileId ? <ProgressBar value={f.progress * 100} label={`Uploading ${f.file.name}`} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {note ? <Alert tone="warning">{note}</Alert> : null}
      <label className="visually-hidden" htmlFor="chat-message">Message</label>
      <textarea id="chat-message" className="textarea" rows={3} placeholder="Ask for a proposal, a mockup, or anything about your locations…"
        value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} maxLength={10000} />
      <div className="row between">
        <label className="btn btn-sm">
          <Icon name="plus" /> Attach
          <input className="visually-hidden" type="file" multiple accept={ACCEPT} aria-label="Attach files" disabled={files.length >= MAX_FILES}
            onChange={(e) => { if (e.target.files) add(e.target.files); e.target.value = ''; }} />
        </label>
        <div className="row">
          {onStop ? <button type="button" className="btn btn-sm" onClick={onStop}>Stop</button> : null}
          <button type="submit" className="btn btn-primary" disabled={!ready}>Send</button>
        </div>
      </div>
    </form>
  );
}
