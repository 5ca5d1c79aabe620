// Object bytes on disk. Uploads are written to a staging file first and only renamed into place
// once the row is written, inside the row's transaction; a file being replaced or deleted is
// first moved aside so a failed transaction can put it back. Nothing half-written ever sits at
// an object's path.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, lstat, mkdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { dirname, join, resolve, sep } from 'node:path';
import { errors, StorageError } from './errors.ts';
import { bucketDirectory, objectFilePath, stagingDirectory } from './object-paths.ts';

export interface StagedFile {
  path: string;
  size: number;
  /** MD5 of the bytes as Storage reports it: hex digest in double quotes. */
  eTag: string;
}

async function newStagingPath(storageDir: string): Promise<string> {
  const dir = stagingDirectory(storageDir);
  await mkdir(dir, { recursive: true });
  return join(dir, `${randomUUID()}.part`);
}

/**
 * Streams a body to a staging file, counting bytes as they arrive: past `limit` the write stops,
 * the partial file is removed and EntityTooLarge is thrown. Memory use stays at one chunk.
 */
export async function stageStream(storageDir: string, body: Readable, limit: number): Promise<StagedFile> {
  const path = await newStagingPath(storageDir);
  const hash = createHash('md5');
  const out = createWriteStream(path, { flags: 'wx' });
  let size = 0;
  try {
    await new Promise<void>((resolvePromise, reject) => {
      let settled = false;
      const fail = (e: unknown) => {
        if (settled) return;
        settled = true;
        body.off('data', onData);
        body.off('end', onEnd);
        out.destroy();
        reject(e);
      };
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          fail(errors.entityTooLarge());
          return;
        }
        hash.update(chunk);
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      };
      let ended = false;
      const onEnd = () => {
        ended = true;
        if (settled) return;
        out.end(() => {
          if (settled) return;
          settled = true;
          resolvePromise();
        });
      };
      body.on('data', onData);
      body.once('end', onEnd);
      body.once('error', fail);
      body.once('close', () => {
        if (!ended) fail(errors.invalidRequest('The request was aborted'));
      });
      out.once('error', fail);
      // A body that broke off before anyone listened (a client gone, or a body shorter than its
      // Content-Length, while the upload was being authorized) emits nothing any more.
      // Node marks such a body aborted, or only destroyed/closed when the socket went first.
      if (body.readableAborted || ((body.destroyed || body.closed) && !body.readableEnded)) {
        fail(errors.invalidRequest('The request was aborted'));
      }
    });
  } catch (e) {
    // The file is opened asynchronously: removed before the open completed, it would be
    // created afterwards and stay. Wait until the stream has closed it.
    if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
    await unlink(path).catch(() => {});
    throw e;
  }
  return { path, size, eTag: `"${hash.digest('hex')}"` };
}

/** Writes bytes already in memory (a parsed multipart part) to a staging file. */
export async function stageBuffer(storageDir: string, bytes: Uint8Array): Promise<StagedFile> {
  const path = await newStagingPath(storageDir);
  try {
    await writeFile(path, bytes, { flag: 'wx' });
  } catch (e) {
    await unlink(path).catch(() => {});
    throw e;
  }
  return { path, size: bytes.byteLength, eTag: `"${createHash('md5').update(bytes).digest('hex')}"` };
}

/** Copies an object's file to a staging file (for copy). */
export async function stageCopy(storageDir: string, source: string): Promise<string> {
  const path = await newStagingPath(storageDir);
  try {
    await copyFile(source, path);
  } catch (e) {
    await unlink(path).catch(() => {});
    throw e;
  }
  return path;
}

export async function discard(path: string | undefined): Promise<void> {
  if (path) await unlink(path).catch(() => {});
}

/** No file there: nothing at the path, or a path running through a file (ENOTDIR). */
function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A key whose path runs through an existing file (or whose file is a directory) cannot be stored. */
function isPathConflict(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOTDIR' || code === 'EISDIR' || code === 'EEXIST' || code === 'ENAMETOOLONG';
}

/**
 * Renames a file to an object's path, creating its folders. A folder pruned by a concurrent
 * delete between mkdir and rename (ENOENT) is simply created again.
 */
async function renameInto(from: string, to: string, key: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await mkdir(dirname(to), { recursive: true });
      await rename(from, to);
      return;
    } catch (e) {
      if (isPathConflict(e)) throw errors.invalidKey(key);
      if ((e as NodeJS.ErrnoException)?.code === 'ENOENT' && attempt < 5) continue;
      throw e;
    }
  }
}

/**
 * A set of file moves made inside a database transaction. `rollback` undoes them in reverse
 * order (after the transaction failed); `commit` deletes what was moved aside (after it committed).
 */
export class DiskChanges {
  private readonly undo: Array<() => Promise<void>> = [];
  private readonly cleanup: string[] = [];

  constructor(private readonly storageDir: string) {}

  /**
   * Moves the current file of an object (if any) aside; returns whether there was one. A
   * directory at that path (the key is a folder of other objects) is a conflict, never moved.
   */
  async moveAside(file: string, key: string): Promise<boolean> {
    try {
      if (!(await lstat(file)).isFile()) throw errors.invalidKey(key);
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
    const aside = await newStagingPath(this.storageDir);
    try {
      await rename(file, aside);
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
    this.undo.push(() => rename(aside, file));
    this.cleanup.push(aside);
    return true;
  }

  /** Puts a staged file at an object's path, replacing (and keeping aside) what was there. */
  async place(staged: string, bucket: string, key: string): Promise<void> {
    const file = objectFilePath(this.storageDir, bucket, key);
    await this.moveAside(file, key);
    await renameInto(staged, file, key);
    this.undo.push(async () => {
      await rename(file, staged).catch(() => unlink(file));
    });
  }

  /** Moves an object's file to another key (for move). */
  async relocate(fromBucket: string, fromKey: string, toBucket: string, toKey: string): Promise<void> {
    const from = objectFilePath(this.storageDir, fromBucket, fromKey);
    const to = objectFilePath(this.storageDir, toBucket, toKey);
    if (from === to) return;
    await this.moveAside(to, toKey);
    try {
      await lstat(from);
    } catch (e) {
      if (isMissing(e)) throw errors.objectNotFound();
      throw e;
    }
    await renameInto(from, to, toKey);
    this.undo.push(() => rename(to, from));
    this.cleanup.push(from); // only its now-empty parent directories, pruned below
  }

  /** Moves a deleted object's file aside; a file already missing is not an error. */
  async remove(bucket: string, key: string): Promise<void> {
    let file: string;
    try {
      file = objectFilePath(this.storageDir, bucket, key);
    } catch {
      return; // a row whose name could never have had a file (inserted by SQL)
    }
    try {
      await this.moveAside(file, key);
    } catch (e) {
      if (e instanceof StorageError) return; // a directory, not this row's file
      throw e;
    }
    this.cleanup.push(file);
  }

  async rollback(): Promise<void> {
    for (const step of this.undo.reverse()) await step().catch(() => {});
    this.undo.length = 0;
  }

  async commit(): Promise<void> {
    const staging = stagingDirectory(this.storageDir);
    for (const path of this.cleanup) {
      if (path.startsWith(staging + sep)) await unlink(path).catch(() => {});
      else await pruneEmptyParents(this.storageDir, path);
    }
    this.undo.length = 0;
  }
}

/** Removes the empty directories left above a deleted file, up to (not including) its bucket. */
async function pruneEmptyParents(storageDir: string, file: string): Promise<void> {
  const root = resolve(storageDir);
  let dir = dirname(file);
  while (dir.startsWith(root + sep) && dirname(dir) !== root) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}

/** Removes a bucket's directory (after the bucket row is gone). */
export async function removeBucketDirectory(storageDir: string, bucket: string): Promise<void> {
  await rm(bucketDirectory(storageDir, bucket), { recursive: true, force: true });
}
