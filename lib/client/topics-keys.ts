// Query keys of the topic pages. They nest: invalidating a topic's detail also refreshes its
// subscriptions and messages, and `all` everything about topics.

export type TopicListParams = { search: string; offset: number; limit: number };

export const topicKeys = {
  all: ["topics"] as const,
  lists: () => [...topicKeys.all, "list"] as const,
  list: (params: TopicListParams) => [...topicKeys.lists(), params] as const,
  detail: (name: string) => [...topicKeys.all, "detail", name] as const,
  subscriptions: (name: string) => [...topicKeys.detail(name), "subscriptions"] as const,
  /** Outside `detail`: refreshing a topic must not fetch a revealed secret again. */
  secret: (name: string, subscription: string) => [...topicKeys.all, "secret", name, subscription] as const,
  messages: (name: string) => [...topicKeys.detail(name), "messages"] as const,
  message: (name: string, id: string) => [...topicKeys.messages(name), id] as const,
};
