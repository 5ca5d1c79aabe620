export const renderJobKeys = {
  all: ['render-jobs'] as const,
  detail: (id: string) => [...renderJobKeys.all, id] as const,
};
