// AI creatives (spec §2.8): an image model behind a small interface. OpenAI's gpt-image-1 is
// wired (the `openai` SDK's images API, same key and base URL as the chat model); without an
// OpenAI key there is no image model and the creative tool says so plainly.
import OpenAI from 'openai';
import type { EnvSource, UsageEvent } from '../llm/mod.ts';

export type CreativeAspect = '3:2' | '2:3';

export interface GeneratedImage {
  bytes: Uint8Array;
  mimeType: 'image/png';
  /** Token usage for ai_costs, when the provider reported it. */
  usage?: UsageEvent;
}

export interface ImageGenerator {
  readonly provider: 'openai' | 'google';
  readonly model: string;
  generate(prompt: string, aspect: CreativeAspect, signal?: AbortSignal): Promise<GeneratedImage>;
}

/** Landscape billboards take 3:2, portrait ones 2:3 — the two sizes gpt-image-1 has for that. */
const OPENAI_SIZES: Record<CreativeAspect, '1536x1024' | '1024x1536'> = {
  '3:2': '1536x1024',
  '2:3': '1024x1536',
};

export class OpenAiImageGenerator implements ImageGenerator {
  readonly provider = 'openai' as const;
  readonly #client: OpenAI;

  constructor(apiKey: string, readonly model = 'gpt-image-1', baseUrl?: string) {
    this.#client = new OpenAI({ apiKey, baseURL: baseUrl || undefined, maxRetries: 1 });
  }

  async generate(
    prompt: string,
    aspect: CreativeAspect,
    signal?: AbortSignal,
  ): Promise<GeneratedImage> {
    const answer = await this.#client.images.generate(
      { model: this.model, prompt, size: OPENAI_SIZES[aspect], n: 1 },
      { signal },
    );
    const b64 = answer.data?.[0]?.b64_json;
    if (!b64) throw new Error(`${this.model} returned no image`);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const usage = answer.usage;
    return {
      bytes,
      mimeType: 'image/png',
      ...(usage
        ? {
          usage: {
            type: 'usage',
            provider: 'openai',
            model: this.model,
            usage: {
              input: usage.input_tokens ?? 0,
              cachedInput: 0,
              output: usage.output_tokens ?? 0,
              reasoning: 0,
              imageInput: usage.input_tokens_details?.image_tokens ?? 0,
              imageOutput: usage.output_tokens ?? 0,
            },
          },
        }
        : {}),
    };
  }
}

/**
 * The image model configured by the environment: OpenAI's (IMAGE_MODEL, default gpt-image-1)
 * when OPENAI_API_KEY is set and IMAGE_PROVIDER is not `none`; otherwise null.
 */
export function imageGeneratorFromEnv(env: EnvSource = Deno.env): ImageGenerator | null {
  const read = (name: string) => env.get(name)?.trim() || undefined;
  if (read('IMAGE_PROVIDER')?.toLowerCase() === 'none') return null;
  const key = read('OPENAI_API_KEY');
  if (!key) return null;
  return new OpenAiImageGenerator(
    key,
    read('IMAGE_MODEL') ?? 'gpt-image-1',
    read('OPENAI_BASE_URL'),
  );
}
