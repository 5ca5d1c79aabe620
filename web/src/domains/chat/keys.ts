// Query keys of the chat domain.
export const chatKeys = {
  all: ['chat'] as const,
  conversations: () => [...chatKeys.all, 'conversations'] as const,
  messages: (conversationId: string) => [...chatKeys.all, 'messages', conversationId] as const,
  fileUrl: (bucket: string, path: string) => [...chatKeys.all, 'file', bucket, path] as const,
};
