// Data hooks of mockup setup: a company's locations, the billboard photos of one location with
// their templates (frames), and saving / removing a template. Saving uploads a new photo to
// the location-photos bucket first (<company>/<location_key>/<variant>/<Name>_<n>.<ext>, the
// storage policy lets setup users write under their company's folder), then records photo and
// frames in one transaction with public.save_location_photo_frames; if the database refuses,
// the just-uploaded photo is removed again so no orphan is left behind.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Enums, Json } from '../../lib/database.types';
import { toApiError, unwrap } from '../../lib/errors';
import { fileExtension, uploadWithProgress } from '../../lib/storage';
import { supabase } from '../../lib/supabase';
import type { Point } from './geometry';
import { mockupKeys } from './keys';

export const PHOTO_BUCKET = 'location-photos';

export interface SetupLocation {
  id: string;
  location_key: string;
  display_name: string;
}

export function useSetupLocations(company: string | null) {
  return useQuery({
    queryKey: mockupKeys.setupLocations(company ?? 'none'),
    enabled: Boolean(company),
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<SetupLocation[]> => {
      const rows = unwrap(await supabase().from('all_locations')
        .select('id, location_key, display_name')
        .eq('company', company!)
        .order('display_name'));
      return rows.map((r) => ({ id: r.id!, location_key: r.location_key!, display_name: r.display_name! }));
    },
  });
}

export interface PhotoVariant {
  environment: Enums<'mockup_environment'>;
  time_of_day: Enums<'time_of_day'>;
  side: Enums<'billboard_side'>;
}

export interface StoredFrame {
  points: Point[];
  config?: Record<string, unknown>;
}

/** A billboard photo of the location; `template` is set when it has frames. */
export interface LocationPhoto {
  storage_path: string;
  width_px: number | null;
  height_px: number | null;
  template: (PhotoVariant & { id: string; frames: StoredFrame[]; config: Record<string, unknown>; updated_at: string }) | null;
}

function asFrames(value: Json): StoredFrame[] {
  return Array.isArray(value) ? (value as unknown as StoredFrame[]) : [];
}

function asObject(value: Json | null | undefined): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function useLocationPhotos(company: string | null, location: SetupLocation | null) {
  return useQuery({
    queryKey: mockupKeys.setupPhotos(company ?? 'none', location?.location_key ?? 'none'),
    enabled: Boolean(company && location),
    queryFn: async (): Promise<LocationPhoto[]> => {
      const [photos, frames] = await Promise.all([
        supabase().from('all_location_photos').select('storage_path, width_px, height_px, created_at')
          .eq('company', company!).eq('location_id', location!.id).order('created_at'),
        supabase().from('all_mockup_frames').select('id, photo_path, environment, time_of_day, side, frames_data, config, updated_at')
          .eq('company', company!).eq('location_id', location!.id),
      ]);
      const byPath = new Map<string, LocationPhoto>();
      for (const p of unwrap(photos)) {
        byPath.set(p.storage_path!, { storage_path: p.storage_path!, width_px: p.width_px, height_px: p.height_px, template: null });
      }
      for (const f of unwrap(frames)) {
        const photo = byPath.get(f.photo_path!) ?? { storage_path: f.photo_path!, width_px: null, height_px: null, template: null };
        photo.template = {
          id: f.id!, environment: f.environment!, time_of_day: f.time_of_day!, side: f.side!,
          frames: asFrames(f.frames_data!), config: asObject(f.config), updated_at: f.updated_at!,
        };
        byPath.set(f.photo_path!, photo);
      }
      return [...byPath.values()];
    },
  });
}

const pascal = (key: string) => key.split('_').filter(Boolean).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');

/**
 * Where a new photo goes (spec §2.2): outdoor <company>/<key>/outdoor/<time>/<side>/<Name>_<n>,
 * indoor <company>/<key>/indoor/<Name>_<n>, n the lowest number no photo of the location uses.
 */
export function newPhotoPath(company: string, locationKey: string, variant: PhotoVariant, ext: string, taken: readonly string[], skip = 0): string {
  const used = new Set(taken.map((p) => /_(\d+)\.[a-z0-9]+$/i.exec(p)?.[1]).filter(Boolean).map(Number));
  let n = 1;
  for (let skipped = 0; used.has(n) || skipped < skip; n++) {
    if (!used.has(n)) skipped++;
  }
  const folder = variant.environment === 'indoor'
    ? `${company}/${locationKey}/indoor`
    : `${company}/${locationKey}/outdoor/${variant.time_of_day}/${variant.side}`;
  return `${folder}/${pascal(locationKey)}_${n}.${ext}`;
}

export interface SaveTemplateInput {
  company: string;
  location: SetupLocation;
  variant: PhotoVariant;
  /** A new photo to upload, or the path of a photo already stored. */
  photo: { file: File } | { path: string };
  width: number;
  height: number;
  frames: StoredFrame[];
  photoConfig: Record<string, unknown>;
  /** Paths of the location's photos, for numbering a new one. */
  takenPaths: readonly string[];
  onProgress?: (fraction: number) => void;
}

export interface SaveTemplateResult {
  photo_path: string;
  frame_count: number;
  replaced: boolean;
}

function isDuplicate(e: unknown): boolean {
  const err = toApiError(e);
  return err.code === 'KeyAlreadyExists' || err.status === 409 || /already exists/i.test(err.message);
}

export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: SaveTemplateInput): Promise<SaveTemplateResult> => {
      let path: string;
      let uploaded = false;
      if ('file' in input.photo) {
        const ext = fileExtension(input.photo.file.name) === 'jpeg' ? 'jpg' : fileExtension(input.photo.file.name);
        // Someone may have added a photo with the same number meanwhile: take the next one.
        for (let attempt = 0; ; attempt++) {
          path = newPhotoPath(input.company, input.location.location_key, input.variant, ext, input.takenPaths, attempt);
          try {
            await uploadWithProgress(PHOTO_BUCKET, path, input.photo.file, input.onProgress);
            uploaded = true;
            break;
          } catch (e) {
            if (!isDuplicate(e) || attempt >= 4) throw e;
          }
        }
      } else {
        path = input.photo.path;
      }
      const result = await supabase().rpc('save_location_photo_frames', {
        company: input.company,
        location_key: input.location.location_key,
        photo: {
          storage_path: path,
          environment: input.variant.environment,
          time_of_day: input.variant.time_of_day,
          side: input.variant.side,
          width_px: input.width,
          height_px: input.height,
          config: input.photoConfig,
        } as unknown as Json,
        frames: input.frames as unknown as Json,
      });
      if (result.error && uploaded) {
        await supabase().storage.from(PHOTO_BUCKET).remove([path]);
      }
      return unwrap(result) as unknown as SaveTemplateResult;
    },
    onSuccess: (_r, input) => Promise.all([
      queryClient.invalidateQueries({ queryKey: mockupKeys.setupPhotos(input.company, input.location.location_key) }),
      queryClient.invalidateQueries({ queryKey: mockupKeys.templateLists() }),
    ]),
  });
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ company, photoPath }: { company: string; locationKey: string; photoPath: string }) =>
      unwrap(await supabase().rpc('delete_location_photo_frames', { company, photo_path: photoPath })),
    onSuccess: (_r, input) => Promise.all([
      queryClient.invalidateQueries({ queryKey: mockupKeys.setupPhotos(input.company, input.locationKey) }),
      queryClient.invalidateQueries({ queryKey: mockupKeys.templateLists() }),
    ]),
  });
}
