// `npm run seed:photos`: upload the demo photos to SUPABASE_URL (default: the local dev stack).
import { loadConfig } from '../devstack/src/config.ts';
import { apiKeys } from '../devstack/src/jwt.ts';
import { uploadSeedPhotos } from './upload-photos.ts';

const cfg = loadConfig();
const url = process.env.SUPABASE_URL ?? cfg.apiUrl;
const key = process.env.SUPABASE_SERVICE_ROLE_KEY ?? (await apiKeys(cfg.jwtSecret)).serviceRole;
const n = await uploadSeedPhotos(url, key);
process.stdout.write(`${n} demo photos uploaded to ${url}\n`);
