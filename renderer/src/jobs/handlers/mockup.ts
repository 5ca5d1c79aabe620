// A mockup job (contract §3): fetch the template photo and the creatives, composite them with
// the native compositor, store the JPEG as mockups/<owner_id>/<mockup_id>.jpg. Every attempt,
// success or failure, is logged to mockup_usage (spec §2.14) through record_mockup_usage.
import { composite, type FrameInput } from '../../mockup/index.ts';
import { isUuid, mockupObjectPath } from '../../proposal/file-names.ts';
import { classifyFailure, JobError } from '../errors.ts';
import type { JobContext } from '../worker.ts';

export const PHOTO_BUCKET = 'location-photos';
export const CREATIVE_BUCKET = 'uploads';
export const MOCKUP_BUCKET = 'mockups';

/** What the usage log learns from the payload before anything can fail. */
interface AttemptFacts {
  photoPath: string | null;
  creativeCount: number;
}

export async function renderMockup(ctx: JobContext): Promise<Record<string, unknown>> {
  const started = performance.now();
  const p = ctx.job.payload;
  const facts: AttemptFacts = {
    photoPath: typeof p.photo_path === 'string' && p.photo_path ? p.photo_path : null,
    creativeCount: Array.isArray(p.creative_paths) ? Math.min(p.creative_paths.length, 50) : 0,
  };
  let result: Record<string, unknown>;
  try {
    result = await render(ctx);
  } catch (error) {
    await logAttempt(ctx, facts, started, error);
    throw error;
  }
  await logAttempt(ctx, facts, started, null);
  return result;
}

/**
 * One mockup_usage row per attempt. The database fills in user, company, location, time of day
 * and side from the job and its mockup. A log that cannot be written never fails the job.
 */
async function logAttempt(ctx: JobContext, facts: AttemptFacts, started: number, error: unknown): Promise<void> {
  if (!ctx.rpc) return;
  const args = {
    job_id: ctx.job.id,
    attempt: ctx.job.attempts || null,
    success: error === null,
    duration_ms: Math.max(0, Math.round(performance.now() - started)),
    creative_count: facts.creativeCount,
    photo_path: facts.photoPath,
    error: error === null ? null : classifyFailure(error).message,
  };
  try {
    await ctx.rpc('record_mockup_usage', args);
  } catch (e) {
    ctx.log('mockup.usage_log_failed', { job_id: ctx.job.id, error: e instanceof Error ? e.message : String(e) });
  }
}

async function render(ctx: JobContext): Promise<Record<string, unknown>> {
  const { job } = ctx;
  const p = job.payload;
  const bad = (message: string) => new JobError(`mockup job payload: ${message}`, false);
  if (!isUuid(p.mockup_id)) throw bad('mockup_id must be a UUID');
  if (typeof p.photo_path !== 'string' || !p.photo_path) throw bad('photo_path is missing');
  if (!Array.isArray(p.frames)) throw bad('frames must be a list');
  const creativePaths = p.creative_paths;
  if (!Array.isArray(creativePaths) || creativePaths.length === 0 || creativePaths.some((c) => typeof c !== 'string')) {
    throw bad('creative_paths must be a non-empty list of object paths');
  }
  // The service role reads every upload: only the owner's own folder may feed their mockup.
  const ownFolder = `${job.owner_id.toLowerCase()}/`;
  const foreign = (creativePaths as string[]).find((c) => !c.toLowerCase().startsWith(ownFolder) || c.split('/').includes('..'));
  if (foreign) throw bad(`creative ${JSON.stringify(foreign)} is not in the requester's uploads folder`);
  const timeOfDay = p.time_of_day ?? 'day';
  if (timeOfDay !== 'day' && timeOfDay !== 'night') throw bad(`time_of_day must be "day" or "night", got ${JSON.stringify(timeOfDay)}`);
  await ctx.progress(5);

  const [photo, ...creatives] = await Promise.all([
    ctx.download(PHOTO_BUCKET, p.photo_path, 'the location photo'),
    ...(creativePaths as string[]).map((path, i) => ctx.download(CREATIVE_BUCKET, path, `creative ${i + 1}`)),
  ]);
  await ctx.progress(30);

  const jpeg = await composite({
    photo,
    creatives,
    frames: p.frames as FrameInput[],
    photoConfig: p.photo_config ?? undefined,
    config: p.config ?? undefined,
    timeOfDay,
  });
  await ctx.progress(85);

  // The name is fixed per mockup and the bytes deterministic, so a retry may overwrite.
  const outputPath = mockupObjectPath(job.owner_id, p.mockup_id);
  await ctx.upload({ bucket: MOCKUP_BUCKET, path: outputPath }, jpeg, 'image/jpeg', { upsert: true });
  await ctx.progress(95);
  return { mockup_id: p.mockup_id, bucket: MOCKUP_BUCKET, output_path: outputPath };
}
