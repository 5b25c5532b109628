/** A content idea as the model answers it (seed 001's shape), with fields to override. */
export const idea = (i: number, over: Record<string, unknown> = {}) => ({
  title: `Idea ${i}`,
  description: `Do thing ${i}`,
  contentType: 'photo',
  platform: 'onlyfans',
  format: 'carousel',
  estimatedEngagement: 7.5,
  estimatedRevenue: 120,
  difficulty: 'easy',
  timeRequired: '1 hour',
  caption: `Caption ${i}`,
  hashtags: ['#fit'],
  tips: ['Use natural light'],
  ...over,
});

/** The model's reply carrying `n` ideas. */
export const ideasReply = (n: number, over: Record<string, unknown> = {}) => ({
  content: JSON.stringify({ ideas: Array.from({ length: n }, (_, i) => idea(i + 1, over)) }),
});
