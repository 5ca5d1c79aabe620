// The Slack side of the Channel interface (../channel.ts): the agent's ChatEvents of one turn
// become Slack messages in the person's DM or mention thread.
//   status        one "⏳ _…_" message, posted once and then edited (chat.update)
//   text          collected; the answer is written when the turn ends (Slack has no token
//                 streaming), replacing the status message, converted to mrkdwn
//   file          downloaded from its signed URL and uploaded to the conversation (files.uploadV2)
//   error         "❌ *Error:* …" appended to the answer
// Events are handled one after another (a promise chain), so messages keep their order.
import { Buffer } from 'node:buffer';
import type { WebClient } from '@slack/web-api';
import type { Channel, ChatEvent } from '../channel.ts';
import { markdownToMrkdwn } from './mrkdwn.ts';

/** Slack accepts up to 40,000 characters of text; a message this long is split. */
export const MESSAGE_CHUNK_CHARS = 3_900;

export function splitForSlack(text: string, limit = MESSAGE_CHUNK_CHARS): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = limit;
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest) chunks.push(rest);
  return chunks;
}

export class SlackChannel implements Channel {
  readonly kind = 'slack' as const;
  private answer = '';
  private statusTs: string | null = null;
  private chain: Promise<void> = Promise.resolve();
  private ended = false;
  conversationId: string | null = null;

  constructor(
    private readonly slack: WebClient,
    private readonly target: { channel: string; threadTs: string | null },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  get closed(): boolean {
    return this.ended;
  }

  private thread(): { thread_ts?: string } {
    return this.target.threadTs ? { thread_ts: this.target.threadTs } : {};
  }

  send(event: ChatEvent): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.chain = this.chain.then(() => this.handle(event)).catch((e) =>
      console.error('slack channel send failed', e)
    );
    return this.chain;
  }

  private async handle(event: ChatEvent): Promise<void> {
    switch (event.type) {
      case 'session':
        this.conversationId = event.conversation_id;
        return;
      case 'status':
        return await this.status(event.message);
      case 'text':
        this.answer += event.delta;
        return;
      case 'file':
        return await this.upload(event.file);
      case 'error':
        this.answer += `${this.answer ? '\n\n' : ''}❌ **Error:** ${event.error.message}`;
        return;
      default:
        return;
    }
  }

  private async status(message: string): Promise<void> {
    const text = `⏳ ${markdownToMrkdwn(`_${message.replace(/^_+|_+$/g, '')}_`)}`;
    if (this.statusTs) {
      await this.slack.chat.update({ channel: this.target.channel, ts: this.statusTs, text });
    } else {
      const posted = await this.slack.chat.postMessage({
        channel: this.target.channel,
        text,
        ...this.thread(),
      });
      this.statusTs = posted.ts ?? null;
    }
  }

  private async upload(file: Extract<ChatEvent, { type: 'file' }>['file']): Promise<void> {
    try {
      const res = await this.fetchImpl(file.url, { signal: AbortSignal.timeout(60_000) });
      if (!res.ok) throw new Error(`download answered ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      await this.slack.files.uploadV2({
        channel_id: this.target.channel,
        file: bytes,
        filename: file.filename,
        title: file.title || file.filename,
        ...this.thread(),
      } as never);
    } catch (e) {
      console.error('slack file upload failed', e);
      this.answer += `${
        this.answer ? '\n\n' : ''
      }❌ **Error:** could not attach ${file.filename} here — open it in the web app.`;
    }
  }

  private async post(text: string): Promise<void> {
    await this.slack.chat.postMessage({ channel: this.target.channel, text, ...this.thread() });
  }

  /** Writes the answer: the first part replaces the status message, the rest follow. */
  close(): Promise<void> {
    if (this.ended) return this.chain;
    this.chain = this.chain.then(async () => {
      this.ended = true;
      const chunks = splitForSlack(markdownToMrkdwn(this.answer.trim()));
      if (!chunks.length) {
        if (this.statusTs) {
          await this.slack.chat.delete({ channel: this.target.channel, ts: this.statusTs }).catch(
            () => {},
          );
        }
        return;
      }
      const [first, ...rest] = chunks;
      if (this.statusTs) {
        await this.slack.chat.update({
          channel: this.target.channel,
          ts: this.statusTs,
          text: first,
        });
      } else {
        await this.post(first);
      }
      for (const chunk of rest) await this.post(chunk);
    }).catch((e) => console.error('slack channel close failed', e));
    return this.chain;
  }
}
