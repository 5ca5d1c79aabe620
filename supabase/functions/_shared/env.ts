// The project settings every function needs. Hosted Supabase provides them to each function;
// the local stack sets the same names. A function without them cannot work, so it fails at
// start with the missing name rather than on its first request.

export interface ProjectEnv {
  supabaseUrl: string;
  anonKey: string;
  serviceRoleKey: string;
}

export function requiredEnv(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export function projectEnv(): ProjectEnv {
  return {
    supabaseUrl: requiredEnv('SUPABASE_URL'),
    anonKey: requiredEnv('SUPABASE_ANON_KEY'),
    serviceRoleKey: requiredEnv('SUPABASE_SERVICE_ROLE_KEY'),
  };
}
