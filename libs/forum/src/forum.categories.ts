/** The forum's categories: a fixed list, so a topic's category is checked at the edge. */
export const forumCategories = [
  { id: 'announcements', name: 'Announcements', description: 'News from the team (moderators post here)' },
  { id: 'questions', name: 'Questions', description: 'Ask the community' },
  { id: 'showcase', name: 'Showcase', description: 'Share what you made' },
  { id: 'growth', name: 'Growth', description: 'Audience, leads and campaigns' },
  { id: 'feedback', name: 'Feedback', description: 'Ideas and bug reports about Crescendo' },
  { id: 'general', name: 'General', description: 'Everything else' },
] as const;

export type ForumCategory = (typeof forumCategories)[number]['id'];
export const forumCategoryIds = forumCategories.map((c) => c.id) as ForumCategory[];
