export const locationKeys = {
  all: ['locations'] as const,
  search: (company: string | null, text: string) => [...locationKeys.all, 'search', company ?? 'all', text] as const,
  photoUrl: (path: string) => [...locationKeys.all, 'photo', path] as const,
};
