// Query keys of the mockups domain.
export const mockupKeys = {
  all: ['mockups'] as const,
  templates: (company: string | null) => [...mockupKeys.all, 'templates', company ?? 'all'] as const,
  lists: () => [...mockupKeys.all, 'list'] as const,
  list: (company: string | null) => [...mockupKeys.lists(), company ?? 'all'] as const,
  detail: (id: string) => [...mockupKeys.all, 'detail', id] as const,
  imageUrls: (paths: readonly string[]) => [...mockupKeys.all, 'image-urls', ...paths] as const,
};
