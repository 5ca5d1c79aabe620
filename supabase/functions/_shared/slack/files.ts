// Files shared with the bot in Slack become the person's uploads, exactly like a web upload:
// downloaded with the bot token from url_private_download (size-limited while streaming), the
// same checks (extension allowlist, type sniffed from the bytes — Slack's sign-in page instead
// of the file fails here), then stored in their uploads folder with THEIR JWT.
import type { SupabaseClient } from '@supabase/supabase-js';
import { loadAttachments } from '../agent/attachments.ts';
import type { Attachment } from '../agent/types.ts';
import { FileStoreError, storeUserFile } from '../files/store.ts';
import { limitedStream } from '../files/upload.ts';
import { MAX_UPLOAD_BYTES, UploadRejected, validateUpload } from '../files/validate.ts';
import type { SlackFile } from './events.ts';

export class SlackFileError extends Error {
  constructor(readonly filename: string, message: string) {
    super(message);
  }
}

export interface SlackFileOptions {
  botToken: string | null;
  fetch?: typeof fetch;
  limitBytes?: number;
  /** Origins the bot token may be sent to; default slackFileOrigins(). */
  allowedOrigins?: string[];
}

/**
 * Where shared files may be downloaded from with the bot token: Slack's file host, and the
 * origin of SLACK_API_URL when one is configured (a local stand-in of Slack in tests). The
 * link comes from a signed event, but the token must never travel to any other host.
 */
export function slackFileOrigins(env: { get(name: string): string | undefined } = Deno.env): string[] {
  const origins = ['https://files.slack.com'];
  const api = env.get('SLACK_API_URL')?.trim();
  if (api) {
    try {
      origins.push(new URL(api).origin);
    } catch {
      // An unparsable SLACK_API_URL fails in the Slack client already; it adds no origin here.
    }
  }
  return origins;
}

export async function downloadSlackFile(
  file: SlackFile,
  options: SlackFileOptions,
): Promise<{ name: string; bytes: Uint8Array }> {
  const name = file.name ?? file.title ?? file.id;
  const limit = options.limitBytes ?? MAX_UPLOAD_BYTES;
  const url = file.url_private_download ?? file.url_private;
  if (!url) throw new SlackFileError(name, 'Slack sent no download link for it.');
  let origin: string | null = null;
  try {
    origin = new URL(url).origin;
  } catch {
    // not a URL: refused below
  }
  if (!origin || !(options.allowedOrigins ?? slackFileOrigins()).includes(origin)) {
    throw new SlackFileError(name, 'its download link does not point to Slack, so it was not fetched.');
  }
  if (!options.botToken) throw new SlackFileError(name, 'the Slack bot token is not configured.');
  if ((file.size ?? 0) > limit) {
    throw new SlackFileError(
      name,
      `it is larger than the limit of ${Math.round(limit / 1048576)} MB.`,
    );
  }
  const res = await (options.fetch ?? fetch)(url, {
    headers: { Authorization: `Bearer ${options.botToken}` },
    signal: AbortSignal.timeout(120_000),
  });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new SlackFileError(name, `Slack answered ${res.status} when downloading it.`);
  }
  try {
    const bytes = new Uint8Array(await new Response(limitedStream(res.body, limit)).arrayBuffer());
    return { name, bytes };
  } catch {
    throw new SlackFileError(
      name,
      `it is larger than the limit of ${Math.round(limit / 1048576)} MB.`,
    );
  }
}

/** Downloads, checks and stores one shared file as the person's upload. */
export async function storeSlackFile(
  db: SupabaseClient,
  userId: string,
  file: SlackFile,
  options: SlackFileOptions,
): Promise<Attachment> {
  const { name, bytes } = await downloadSlackFile(file, options);
  let accepted;
  try {
    accepted = validateUpload(name, bytes.length, bytes);
  } catch (e) {
    if (e instanceof UploadRejected) throw new SlackFileError(name, e.message);
    throw e;
  }
  try {
    const stored = await storeUserFile(db, {
      userId,
      fileName: name,
      bytes,
      mimeType: accepted.mime,
      documentType: accepted.kind === 'image' ? 'creative' : 'other',
      metadata: { source: 'slack', slack_file_id: file.id },
    });
    const [attachment] = await loadAttachments(db, [stored.file_id]);
    // The same bytes uploaded before come back under their first name; speak of the file by
    // the name it was shared with now.
    return { ...attachment, filename: name };
  } catch (e) {
    if (e instanceof FileStoreError) throw new SlackFileError(name, e.message);
    throw e;
  }
}
