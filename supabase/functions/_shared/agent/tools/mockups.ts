// Mockup tools (spec §2): the creative — uploaded with the message, an earlier upload by id, or
// generated from a prompt — goes to public.request_mockup (template choice and frame-count
// check happen there), then the tool waits for the renderer and links the image.
import { storeUserFile } from '../../files/store.ts';
import type { CreativeAspect } from '../images.ts';
import { type Attachment, type ToolContext, ToolError, type ToolSpec } from '../types.ts';
import { pendingJobNote, rpc, signedFile, waitForRenderJob } from './common.ts';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Generates an image and stores it as the caller's creative; the image model is billed. */
async function createAiCreative(
  ctx: ToolContext,
  prompt: string,
  aspect: CreativeAspect,
): Promise<{ path: string; documentId: string; filename: string }> {
  if (!ctx.images) {
    throw new ToolError(
      'not_available',
      'AI image generation is not available on this platform: no image model is configured ' +
        '(it needs an OpenAI key). Ask the person to upload a creative instead.',
    );
  }
  await ctx.status('Generating the creative…');
  let image;
  try {
    image = await ctx.images.generate(prompt, aspect, ctx.signal);
  } catch (e) {
    throw new ToolError(
      'image_generation_failed',
      `the image model failed: ${(e as Error).message}`,
    );
  }
  if (image.usage) await ctx.recordCost(image.usage, 'image_generation', 'mockup_ai');
  const stored = await storeUserFile(ctx.db, {
    userId: ctx.caller.userId,
    fileName: `ai_creative_${aspect.replace(':', 'x')}.png`,
    bytes: image.bytes,
    mimeType: image.mimeType,
    documentType: 'creative',
    metadata: { ai_prompt: prompt, aspect_ratio: aspect, model: ctx.images.model },
  });
  return { path: stored.path, documentId: stored.file_id, filename: stored.filename };
}

async function creativesById(ctx: ToolContext, ids: string[]): Promise<Attachment[]> {
  const fromMessage = new Map(ctx.attachments.map((a) => [a.documentId, a]));
  const missing = ids.filter((id) => !fromMessage.has(id));
  const found = new Map(fromMessage);
  if (missing.length) {
    const { data, error } = await ctx.db.from('documents')
      .select('id,bucket,storage_path,original_filename,mime_type,size_bytes')
      .in('id', missing)
      .is('deleted_at', null);
    if (error) {
      throw new ToolError('database_error', `reading the creatives failed: ${error.message}`);
    }
    for (const row of data as Record<string, any>[]) {
      found.set(row.id, {
        documentId: row.id,
        bucket: row.bucket,
        path: row.storage_path,
        filename: row.original_filename,
        mimeType: row.mime_type ?? '',
        sizeBytes: Number(row.size_bytes ?? 0),
        kind: String(row.mime_type).startsWith('image/') ? 'image' : 'document',
      });
    }
  }
  return ids.map((id) => {
    const file = found.get(id);
    if (!file) throw new ToolError('unknown_file', `no file ${id} that you can read`);
    if (file.kind !== 'image' || file.bucket !== 'uploads') {
      throw new ToolError('not_an_image', `${file.filename} is not an uploaded image`);
    }
    return file;
  });
}

interface MockupArgs {
  location: string;
  company?: string;
  creative_file_ids?: string[];
  ai_prompt?: string;
  aspect_ratio?: CreativeAspect;
  time_of_day?: 'day' | 'night' | 'all';
  side?: 'gold' | 'silver' | 'single_side' | 'all';
  environment?: 'outdoor' | 'indoor';
}

const generateMockup: ToolSpec<MockupArgs> = {
  name: 'generate_mockup',
  description:
    'Composite a creative onto a photo of a billboard. The creative is the image(s) uploaded ' +
    'with the current message unless creative_file_ids names other uploads; with no image, ' +
    'ai_prompt generates one.',
  parameters: {
    type: 'object',
    required: ['location'],
    properties: {
      location: { type: 'string', minLength: 1, description: 'Location key.' },
      company: { type: 'string', description: 'Company slug, only when the key exists twice.' },
      creative_file_ids: {
        type: 'array',
        minItems: 1,
        maxItems: 20,
        items: { type: 'string', pattern: UUID },
        description: 'File ids of uploaded images, one per frame (or one for all frames).',
      },
      ai_prompt: {
        type: 'string',
        minLength: 10,
        maxLength: 4000,
        description: 'Detailed description of an AI creative, used when no image is uploaded.',
      },
      aspect_ratio: {
        type: 'string',
        enum: ['3:2', '2:3'],
        description: 'AI creative; default 3:2.',
      },
      time_of_day: { type: 'string', enum: ['day', 'night', 'all'] },
      side: { type: 'string', enum: ['gold', 'silver', 'single_side', 'all'] },
      environment: { type: 'string', enum: ['outdoor', 'indoor'] },
    },
    additionalProperties: false,
  },
  permission: 'sales:mockups:generate',
  workflow: 'mockup_upload',
  async run(ctx, args) {
    let creativePaths: string[];
    let creativeType: 'uploaded' | 'ai_generated' = 'uploaded';
    if (args.creative_file_ids?.length) {
      creativePaths = (await creativesById(ctx, args.creative_file_ids)).map((f) => f.path);
    } else {
      const images = ctx.attachments.filter((a) => a.kind === 'image' && a.bucket === 'uploads');
      if (images.length) creativePaths = images.map((f) => f.path);
      else if (args.ai_prompt) {
        creativeType = 'ai_generated';
        creativePaths = [
          (await createAiCreative(ctx, args.ai_prompt, args.aspect_ratio ?? '3:2')).path,
        ];
      } else {
        throw new ToolError(
          'creative_required',
          'no creative: the message has no uploaded image and no ai_prompt was given',
          'Ask the person to upload the creative, or offer an AI-generated one.',
        );
      }
    }
    await ctx.status('Preparing the mockup…');
    const queued = await rpc<{ mockup_id: string; job_id: string }>(ctx.db, 'request_mockup', {
      request: {
        location: args.location,
        ...(args.company ? { company: args.company } : {}),
        creative_paths: creativePaths,
        ...(args.time_of_day ? { time_of_day: args.time_of_day } : {}),
        ...(args.side ? { side: args.side } : {}),
        ...(args.environment ? { environment: args.environment } : {}),
      },
    }, 'requesting the mockup');
    const base = { mockup_id: queued.mockup_id, creative: creativeType };
    const wait = await waitForRenderJob(ctx, queued.job_id, 'mockup');
    if (wait.state === 'failed') {
      return {
        ok: false,
        error: {
          code: 'render_failed',
          message: `The mockup failed: ${wait.job.error ?? 'unknown error'}`,
        },
        summary: 'mockup failed',
      };
    }
    if (wait.state === 'pending') {
      return {
        ok: true,
        data: { ...base, status: 'pending', note: pendingJobNote(wait, 'mockup') },
        summary: 'mockup queued — not rendered yet',
      };
    }
    const result = wait.job.result ?? {};
    const output = result.output_path ?? result.path;
    if (typeof output !== 'string') {
      throw new ToolError('render_failed', 'the mockup job finished without an image');
    }
    const file = await signedFile(ctx.db, 'mockups', output, `Mockup of ${args.location}`);
    return {
      ok: true,
      data: { ...base, status: 'ready', file: file.filename },
      summary: 'mockup ready',
      files: [file],
    };
  },
};

interface CreativeArgs {
  prompt: string;
  aspect_ratio?: CreativeAspect;
}

const generateAiCreative: ToolSpec<CreativeArgs> = {
  name: 'generate_ai_creative',
  description:
    'Generate an advertising creative image from a detailed prompt, landscape 3:2 or portrait ' +
    '2:3. Returns a file id usable as a mockup creative.',
  parameters: {
    type: 'object',
    required: ['prompt'],
    properties: {
      prompt: { type: 'string', minLength: 10, maxLength: 4000 },
      aspect_ratio: { type: 'string', enum: ['3:2', '2:3'], description: 'Default 3:2.' },
    },
    additionalProperties: false,
  },
  permission: 'sales:mockups:generate',
  workflow: 'mockup_ai',
  async run(ctx, args) {
    const creative = await createAiCreative(ctx, args.prompt, args.aspect_ratio ?? '3:2');
    const file = await signedFile(ctx.db, 'uploads', creative.path, 'AI creative');
    return {
      ok: true,
      data: { file_id: creative.documentId, file: creative.filename },
      summary: 'creative generated',
      files: [file],
    };
  },
};

export const mockupTools: ToolSpec[] = [generateMockup, generateAiCreative];
