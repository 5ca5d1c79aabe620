// Query keys of the signed-in user's context. Everything is scoped by user id so a different
// person never reads another's cache.
export const sessionKeys = {
  all: ['session'] as const,
  context: (userId: string) => [...sessionKeys.all, 'context', userId] as const,
  permissions: (userId: string, permissions: readonly string[]) => [...sessionKeys.all, 'permissions', userId, ...permissions] as const,
  authSettings: () => [...sessionKeys.all, 'auth-settings'] as const,
};
