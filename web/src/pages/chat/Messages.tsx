// Rendering of stored messages and of the live turn (status, tools, files, errors).
import { Alert, Badge, Spinner } from '../../components/ui';
import { Icon } from '../../components/icons';
import { type ChatMessage, useChatFileUrl } from '../../domains/chat/hooks';
import type { LiveTurn } from './ChatPage';

const IMAGE = /\.(png|jpe?g|webp|gif)$/i;

function FileLink({ bucket, path, filename, url, title }: { bucket?: string; path?: string; filename: string; url?: string; title?: string }) {
  const signed = useChatFileUrl(bucket, path, url);
  const href = signed.data ?? url;
  if (!href) return <span className="small muted">{filename}</span>;
  if (IMAGE.test(filename) || IMAGE.test(path ?? '')) {
    return (
      <figure style={{ margin: '8px 0 0' }}>
        <img className="result-image" style={{ maxWidth: 420 }} src={href} alt={title ?? filename} />
        <figcaption className="small"><a href={href} download={filename}>Download {filename}</a></figcaption>
      </figure>
    );
  }
  return (
    <a className="btn btn-sm" style={{ marginTop: 8 }} href={href} download={filename}>
      <Icon name="download" /> {title ?? filename}
    </a>
  );
}

export function MessageBubble({ message }: { message: ChatMessage }) {
  return (
    <article className={`bubble ${message.role === 'user' ? 'user' : ''}`} aria-label={message.role === 'user' ? 'You' : 'Assistant'}>
      {message.content}
      {message.attachments.length ? (
        <div className="row" style={{ marginTop: 4 }}>
          {message.attachments.map((a, i) => <FileLink key={`${a.path ?? a.filename}-${i}`} {...a} />)}
        </div>
      ) : null}
    </article>
  );
}

/** The turn in progress; `stored` once its user message is among the stored messages. */
export function TurnView({ turn, stored }: { turn: LiveTurn; stored: boolean }) {
  return (
    <>
      {!stored ? (
        <article className="bubble user" aria-label="You">
          {turn.userText}
          {turn.fileNames.length ? <div className="small muted">{turn.fileNames.join(', ')}</div> : null}
        </article>
      ) : null}
      {turn.tools.length ? (
        <div className="row small" aria-label="Tools">
          {turn.tools.map((t) => (
            <Badge key={t.call_id} tone={t.ok === undefined ? 'info' : t.ok ? 'success' : 'danger'}>
              {t.ok === undefined ? <Spinner label={`${t.name} running`} /> : null} {t.name.replace(/_/g, ' ')}{t.summary ? `: ${t.summary}` : ''}
            </Badge>
          ))}
        </div>
      ) : null}
      {turn.text || turn.files.length ? (
        <article className="bubble" aria-label="Assistant" data-testid="assistant-streaming">
          {turn.text}
          {turn.files.length ? (
            <div className="row" style={{ marginTop: 4 }}>
              {turn.files.map((f) => <FileLink key={`${f.bucket}/${f.path}`} bucket={f.bucket} path={f.path} url={f.url} filename={f.filename} title={f.title} />)}
            </div>
          ) : null}
        </article>
      ) : null}
      {turn.status ? <div className="bubble status" role="status"><Spinner label="Working" /> {turn.status}</div> : null}
      {turn.error ? (
        <Alert tone="error" title={turn.error.code === 'no_llm_configured' ? 'The assistant has no language model configured' : 'The assistant could not answer'}>
          <span data-testid="chat-error">{turn.error.message}</span>
        </Alert>
      ) : null}
    </>
  );
}
