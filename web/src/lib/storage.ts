// Storage helpers over the typed client: signed URLs for downloads and an upload with progress
// (supabase-js has no progress callback, so uploads go through XMLHttpRequest against the same
// Storage API with the session's token).
import { ApiError, toApiError } from './errors';
import { runtimeConfig, supabase } from './supabase';

export async function signedUrl(bucket: string, path: string, opts: { download?: string | boolean; expiresIn?: number } = {}): Promise<string> {
  const { data, error } = await supabase().storage.from(bucket).createSignedUrl(path, opts.expiresIn ?? 3600, {
    download: opts.download,
  });
  if (error || !data) throw toApiError(error ?? { message: 'no signed URL' });
  return data.signedUrl;
}

export function uploadWithProgress(
  bucket: string,
  path: string,
  file: Blob,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<{ path: string }> {
  return new Promise((resolve, reject) => {
    void supabase().auth.getSession().then(({ data }) => {
      const token = data.session?.access_token;
      if (!token) {
        reject(new ApiError({ message: 'Your session has ended; sign in again.', code: 'no_session' }));
        return;
      }
      const cfg = runtimeConfig();
      const encoded = path.split('/').map(encodeURIComponent).join('/');
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${cfg.supabaseUrl}/storage/v1/object/${bucket}/${encoded}`);
      xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.setRequestHeader('apikey', cfg.anonKey);
      xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
      xhr.setRequestHeader('cache-control', 'max-age=3600');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress?.(e.loaded / e.total);
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress?.(1);
          resolve({ path });
        } else {
          let body: unknown = { message: `Upload failed (${xhr.status})` };
          try {
            body = JSON.parse(xhr.responseText);
          } catch { /* keep the generic message */ }
          reject(toApiError(body));
        }
      };
      xhr.onerror = () => reject(toApiError({ message: 'Failed to fetch' }));
      xhr.onabort = () => reject(new ApiError({ message: 'Upload cancelled', code: 'aborted' }));
      signal?.addEventListener('abort', () => xhr.abort());
      xhr.send(file);
    }, reject);
  });
}

export function fileExtension(name: string): string {
  const m = /\.([a-z0-9]{1,8})$/i.exec(name);
  return m ? m[1].toLowerCase() : 'bin';
}
