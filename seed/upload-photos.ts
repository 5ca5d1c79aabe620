// Uploads the demo location photos to the `location-photos` bucket through the Storage API
// with the service-role key, so it works the same against the local stack and a hosted project.
import { createClient } from '@supabase/supabase-js';
import { photoPlan, renderPlannedPhoto } from './photos.ts';

export async function uploadSeedPhotos(url: string, serviceRoleKey: string): Promise<number> {
  const supabase = createClient(url, serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const bucket = supabase.storage.from('location-photos');
  let uploaded = 0;
  for (const p of photoPlan()) {
    const { png } = renderPlannedPhoto(p);
    const { error } = await bucket.upload(p.storagePath, png, { contentType: 'image/png', upsert: true });
    if (error) throw new Error(`upload of ${p.storagePath} failed: ${error.message}`);
    uploaded++;
  }
  return uploaded;
}
