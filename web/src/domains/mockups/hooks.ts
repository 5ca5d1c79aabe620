// Data hooks of the mockups domain: which locations have billboard templates (photo + frames),
// uploading creatives, requesting a mockup, and the generated images.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Enums, Json } from '../../lib/database.types';
import { unwrap, unwrapMaybe } from '../../lib/errors';
import { fileExtension, signedUrl, uploadWithProgress } from '../../lib/storage';
import { supabase } from '../../lib/supabase';
import { mockupKeys } from './keys';

export interface MockupTemplate {
  id: string;
  environment: Enums<'mockup_environment'>;
  time_of_day: Enums<'time_of_day'>;
  side: Enums<'billboard_side'>;
  photo_path: string;
  frame_count: number;
}

export interface MockupLocation {
  company: string;
  location_key: string;
  display_name: string;
  display_type: 'digital' | 'static';
  templates: MockupTemplate[];
}

/** Locations that have at least one billboard template, with their templates. */
export function useMockupLocations(company: string | null) {
  return useQuery({
    queryKey: mockupKeys.templates(company),
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<MockupLocation[]> => {
      let frames = supabase().from('all_mockup_frames').select('id, company, location_id, environment, time_of_day, side, photo_path, frames_data');
      let locations = supabase().from('all_locations').select('id, company, location_key, display_name, display_type').eq('is_active', true);
      if (company) {
        frames = frames.eq('company', company);
        locations = locations.eq('company', company);
      }
      const [f, l] = await Promise.all([frames, locations]);
      const frameRows = unwrap(f);
      const locationRows = unwrap(l);
      const byLocation = new Map<string, MockupTemplate[]>();
      for (const row of frameRows) {
        const key = `${row.company}/${row.location_id}`;
        const list = byLocation.get(key) ?? [];
        list.push({
          id: row.id!,
          environment: row.environment!,
          time_of_day: row.time_of_day!,
          side: row.side!,
          photo_path: row.photo_path!,
          frame_count: Array.isArray(row.frames_data) ? row.frames_data.length : 0,
        });
        byLocation.set(key, list);
      }
      return locationRows
        .filter((loc) => byLocation.has(`${loc.company}/${loc.id}`))
        .map((loc) => ({
          company: loc.company!,
          location_key: loc.location_key!,
          display_name: loc.display_name!,
          display_type: loc.display_type!,
          templates: byLocation.get(`${loc.company}/${loc.id}`)!,
        }))
        .sort((a, b) => a.display_name.localeCompare(b.display_name));
    },
  });
}

export interface UploadedCreative {
  path: string;
  name: string;
}

/** Uploads one creative image into the caller's own uploads folder, reporting progress. */
export function useUploadCreative() {
  return useMutation({
    mutationFn: async ({ file, onProgress }: { file: File; onProgress?: (f: number) => void }): Promise<UploadedCreative> => {
      const { data } = await supabase().auth.getUser();
      const uid = data.user?.id;
      if (!uid) throw new Error('Your session has ended; sign in again.');
      const path = `${uid}/creatives/${crypto.randomUUID()}.${fileExtension(file.name)}`;
      await uploadWithProgress('uploads', path, file, onProgress);
      return { path, name: file.name };
    },
  });
}

export interface MockupRequest {
  location: string;
  company: string;
  environment: Enums<'mockup_environment'>;
  time_of_day: Enums<'time_of_day'> | 'all';
  side: Enums<'billboard_side'> | 'all';
  creative_paths: string[];
}

export function useRequestMockup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: MockupRequest) =>
      unwrap(await supabase().rpc('request_mockup', { request: request as unknown as Json })) as unknown as { mockup_id: string; job_id: string },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mockupKeys.lists() }),
  });
}

export function useMockup(id: string | null, enabled = true) {
  return useQuery({
    queryKey: mockupKeys.detail(id ?? 'none'),
    enabled: Boolean(id) && enabled,
    queryFn: async () => unwrapMaybe(await supabase().from('mockups')
      .select('id, company, location_key, environment, time_of_day, side, status, output_path, photo_path, created_at, owner_id')
      .eq('id', id!).maybeSingle()),
  });
}

export function useMockups(company: string | null) {
  return useQuery({
    queryKey: mockupKeys.list(company),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      let q = supabase().from('mockups')
        .select('id, company, location_key, environment, time_of_day, side, status, output_path, created_at, owner_id')
        .order('created_at', { ascending: false })
        .limit(60);
      if (company) q = q.eq('company', company);
      return unwrap(await q);
    },
  });
}

/** Signed URLs of generated mockup images (bucket mockups), one request for the lot. */
export function useMockupImageUrls(paths: string[]) {
  const sorted = [...new Set(paths)].sort();
  return useQuery({
    queryKey: mockupKeys.imageUrls(sorted),
    enabled: sorted.length > 0,
    staleTime: 50 * 60_000,
    queryFn: async () => {
      const data = unwrap(await supabase().storage.from('mockups').createSignedUrls(sorted, 3600));
      return Object.fromEntries(data.filter((d) => d.signedUrl && d.path).map((d) => [d.path!, d.signedUrl])) as Record<string, string>;
    },
  });
}

export function useMockupDownload() {
  return useMutation({
    mutationFn: ({ path, filename }: { path: string; filename: string }) => signedUrl('mockups', path, { download: filename }),
  });
}
