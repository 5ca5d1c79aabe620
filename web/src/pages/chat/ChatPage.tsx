// Chat with the sales agent: conversation list (new, rename, delete), the thread, attachments
// with upload progress, and the live answer streamed over SSE (status, text, tool progress,
// files, errors).
import { useCallback, useEffect, useRef, useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router';
import { Alert, ErrorAlert, Loading, PageHeader } from '../../components/ui';
import { useInvalidateChat, useMessages } from '../../domains/chat/hooks';
import { type ChatEvent, runChatTurn } from '../../domains/chat/stream';
import { toApiError } from '../../lib/errors';
import { Composer, type PendingFile } from './Composer';
import { ConversationList } from './ConversationList';
import { MessageBubble, TurnView } from './Messages';

export interface LiveTurn {
  /** null until the server names the conversation of a new chat (session event). */
  conversationId: string | null;
  userText: string;
  fileNames: string[];
  text: string;
  status: string | null;
  tools: { call_id: string; name: string; ok?: boolean; summary?: string }[];
  files: Extract<ChatEvent, { type: 'file' }>['file'][];
  error: { code: string; message: string } | null;
  done: boolean;
  /** The stored answer's id, from the done event (null when nothing was stored). */
  answerId: string | null;
}

function apply(turn: LiveTurn, e: ChatEvent): LiveTurn {
  switch (e.type) {
    case 'session': return { ...turn, conversationId: e.conversation_id };
    case 'status': return { ...turn, status: e.message };
    case 'text': return { ...turn, text: turn.text + e.delta, status: null };
    case 'tool_started': return { ...turn, tools: [...turn.tools, { call_id: e.call_id, name: e.name }] };
    case 'tool_finished': return { ...turn, tools: turn.tools.map((t) => (t.call_id === e.call_id ? { ...t, ok: e.ok, summary: e.summary } : t)) };
    case 'file': return { ...turn, files: [...turn.files, e.file] };
    case 'error': return { ...turn, error: e.error, status: null };
    case 'done': return { ...turn, done: true, status: null, answerId: e.message_id };
    default: return turn;
  }
}

function Thread() {
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const messages = useMessages(conversationId ?? null);
  const invalidate = useInvalidateChat();
  const [turn, setTurn] = useState<LiveTurn | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [unavailable, setUnavailable] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const refetches = useRef(0);
  // The live turn belongs to the conversation it was sent in (or to a new one).
  const visibleTurn = turn && (turn.conversationId === (conversationId ?? null) || (!turn.conversationId && !conversationId)) ? turn : null;
  const busy = turn !== null && !turn.done;

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.data, visibleTurn?.text, visibleTurn?.status, visibleTurn?.files.length]);
  // A finished turn stays on screen until the stored messages include its answer. The list may
  // have been fetched while the answer was being written (a new chat's first fetch starts at
  // the session event, and an invalidation then joins that fetch): fetch again until it shows.
  useEffect(() => {
    if (!visibleTurn?.done || visibleTurn.error || messages.isFetching) return;
    const { answerId } = visibleTurn;
    if (!answerId || messages.data?.some((m) => m.id === answerId) || refetches.current >= 20) {
      refetches.current = 0;
      setTurn(null);
    } else if (conversationId) {
      const retry = setTimeout(() => {
        refetches.current += 1;
        invalidate(conversationId);
      }, 250);
      return () => clearTimeout(retry);
    }
  }, [visibleTurn, messages.isFetching, messages.data, conversationId, invalidate]);

  const send = useCallback(async (text: string, files: PendingFile[]) => {
    setFailure(null);
    const controller = new AbortController();
    abort.current = controller;
    let current: LiveTurn = { conversationId: conversationId ?? null, userText: text, fileNames: files.map((f) => f.file.name), text: '', status: 'Sending…', tools: [], files: [], error: null, done: false, answerId: null };
    setTurn(current);
    let conversation = conversationId;
    try {
      await runChatTurn({ message: text, conversation_id: conversationId, file_ids: files.map((f) => f.fileId!) }, (event) => {
        if (event.type === 'session') {
          conversation = event.conversation_id;
          if (!conversationId) {
            invalidate();
            navigate(`/chat/${event.conversation_id}`, { replace: true });
          }
        }
        current = apply(current, event);
        setTurn(current);
      }, controller.signal);
      if (!current.done) current = { ...apply(current, { type: 'done', message_id: null }) };
      setTurn(current);
      invalidate(conversation);
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'function_not_found') setUnavailable(true);
      if (err.code !== 'aborted' && (e as Error).name !== 'AbortError') setFailure(err);
      setTurn(null);
      invalidate(conversation);
    }
  }, [conversationId, invalidate, navigate]);

  if (unavailable) {
    return (
      <Alert tone="info" title="Chat is not available yet">
        The assistant service is not deployed on this platform yet. Proposals and mockups work from their own screens meanwhile.
      </Alert>
    );
  }

  const shown = (messages.data ?? []).filter((m) => m.role === 'user' || (m.role === 'assistant' && (m.content.trim() || m.attachments.length)));
  return (
    <section className="card chat-thread" aria-label="Conversation">
      <div className="chat-messages" aria-live="polite" aria-busy={busy} data-testid="chat-messages">
        {messages.isLoading ? <Loading label="Loading the conversation…" /> : null}
        <ErrorAlert error={messages.error} title="Messages could not be loaded" />
        {!conversationId && !visibleTurn ? (
          <div className="empty">
            <h2>Ask the sales assistant</h2>
            <p>It builds proposals, makes mockups and answers questions about locations. Attach a booking order or artwork if you have one.</p>
          </div>
        ) : null}
        {shown.map((m) => <MessageBubble key={m.id} message={m} />)}
        {visibleTurn ? <TurnView turn={visibleTurn} stored={shown.some((m) => m.role === 'user' && m.content === visibleTurn.userText)} /> : null}
        <div ref={bottom} />
      </div>
      <ErrorAlert error={failure} title="The message could not be sent" />
      <Composer disabled={busy} onSend={send} onStop={busy ? () => abort.current?.abort() : undefined} />
    </section>
  );
}

export default function ChatPage() {
  return (
    <>
      <PageHeader title="Chat" description="Your sales assistant: proposals, mockups, locations and booking orders in conversation." />
      <div className="chat">
        {/* One route for /chat and /chat/:id, so a new chat keeps streaming when it gets its id. */}
        <Routes>
          <Route path=":conversationId?" element={<><ConversationList /><Thread /></>} />
        </Routes>
      </div>
    </>
  );
}
