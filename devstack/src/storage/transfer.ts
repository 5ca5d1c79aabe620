// POST /object/move and /object/copy: row and file move (or are copied) in one transaction.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Gateway } from '../gateway/context.ts';
import { send } from '../http.ts';
import { assertMimeAllowed, findBucket, sizeLimit } from './bucket-settings.ts';
import { optionalString, readJson, requireCaller, requiredString } from './caller.ts';
import { discard, stageCopy } from './disk.ts';
import { errors } from './errors.ts';
import { assertValidKey, objectFilePath } from './object-paths.ts';
import { findObjectRow, INSERT_OBJECT, inTransactionWithDisk, ON_CONFLICT_UPDATE } from './objects.ts';

interface TransferBody {
  bucket: string;
  sourceKey: string;
  destinationBucket: string;
  destinationKey: string;
  body: Record<string, unknown>;
}

async function readTransfer(req: IncomingMessage): Promise<TransferBody> {
  const body = await readJson(req);
  const bucket = requiredString(body, 'bucketId');
  return {
    bucket,
    sourceKey: assertValidKey(requiredString(body, 'sourceKey')),
    destinationKey: assertValidKey(requiredString(body, 'destinationKey')),
    destinationBucket: optionalString(body, 'destinationBucket') || bucket,
    body,
  };
}

/** POST /object/move: renames an object (RLS: update on the row, with the new name checked). */
export async function moveObject(gw: Gateway, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  const t = await readTransfer(req);
  await findBucket(gw, t.bucket);
  const target = t.destinationBucket !== t.bucket ? await findBucket(gw, t.destinationBucket) : null;
  await inTransactionWithDisk(gw, caller.identity, async (c, disk) => {
    if (target) {
      // Into another bucket: that bucket's MIME list and size limit apply to the object.
      const { rows } = await c.query<{ metadata: { mimetype?: string; size?: number } | null }>(
        'select metadata from storage.objects where bucket_id = $1 and name = $2',
        [t.bucket, t.sourceKey],
      );
      if (rows.length === 0) throw errors.objectNotFound();
      assertMimeAllowed(target, rows[0].metadata?.mimetype || 'application/octet-stream');
      if ((rows[0].metadata?.size ?? 0) > sizeLimit(gw, target)) throw errors.entityTooLarge();
    }
    const { rowCount } = await c.query(
      `update storage.objects
          set bucket_id = $3, name = $4, owner = $5, owner_id = $6, updated_at = now()
        where bucket_id = $1 and name = $2`,
      [t.bucket, t.sourceKey, t.destinationBucket, t.destinationKey, caller.ownerUuid, caller.sub],
    );
    if (!rowCount) throw errors.objectNotFound();
    await disk.relocate(t.bucket, t.sourceKey, t.destinationBucket, t.destinationKey);
  });
  send(res, 200, { message: 'Successfully moved' });
}

/** POST /object/copy: a new object with the source's bytes (RLS: select source, insert copy). */
export async function copyObject(gw: Gateway, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const caller = await requireCaller(req, url, gw);
  const t = await readTransfer(req);
  await findBucket(gw, t.bucket);
  const target = await findBucket(gw, t.destinationBucket);
  const upsert = String(req.headers['x-upsert'] ?? '').toLowerCase() === 'true';
  const source = await findObjectRow(gw, caller.identity, t.bucket, t.sourceKey);
  const meta = source.metadata ?? {};
  assertMimeAllowed(target, meta.mimetype || 'application/octet-stream');
  if ((meta.size ?? 0) > sizeLimit(gw, target)) throw errors.entityTooLarge();

  let staged: string | undefined;
  try {
    staged = await stageCopy(gw.cfg.storageDir, objectFilePath(gw.cfg.storageDir, t.bucket, t.sourceKey));
  } catch {
    throw errors.objectNotFound();
  }
  const userMetadata = t.body.copyMetadata === false ? (t.body.metadata ?? null) : source.user_metadata;
  const metadata = { ...meta, lastModified: new Date().toISOString() };
  const newId = randomUUID();
  try {
    const id = await inTransactionWithDisk(gw, caller.identity, async (c, disk) => {
      const params = [
        newId,
        t.destinationBucket,
        t.destinationKey,
        caller.ownerUuid,
        caller.sub,
        metadata,
        userMetadata === undefined ? null : JSON.stringify(userMetadata),
        randomUUID(),
      ];
      let id: string = newId;
      if (upsert) {
        const { rows } = await c.query<{ id: string }>(`${INSERT_OBJECT} ${ON_CONFLICT_UPDATE} returning id`, params);
        id = rows[0].id;
      } else {
        await c.query(INSERT_OBJECT, params);
      }
      await disk.place(staged!, t.destinationBucket, t.destinationKey);
      return id;
    });
    send(res, 200, { Id: id, Key: `${t.destinationBucket}/${t.destinationKey}` });
  } finally {
    await discard(staged);
  }
}
