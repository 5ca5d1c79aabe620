// Query keys of the mockups domain.
export const mockupKeys = {
  all: ['mockups'] as const,
  templateLists: () => [...mockupKeys.all, 'templates'] as const,
  templates: (company: string | null) => [...mockupKeys.templateLists(), company ?? 'all'] as const,
  lists: () => [...mockupKeys.all, 'list'] as const,
  list: (company: string | null) => [...mockupKeys.lists(), company ?? 'all'] as const,
  detail: (id: string) => [...mockupKeys.all, 'detail', id] as const,
  imageUrls: (paths: readonly string[]) => [...mockupKeys.all, 'image-urls', ...paths] as const,
  setup: () => [...mockupKeys.all, 'setup'] as const,
  setupLocations: (company: string) => [...mockupKeys.setup(), 'locations', company] as const,
  setupPhotos: (company: string, locationKey: string) => [...mockupKeys.setup(), 'photos', company, locationKey] as const,
};
