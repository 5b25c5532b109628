/** The limits of SPEC.md. `points` requests per `durationSeconds`. */
export const rateLimitPolicies = {
  general: { points: 100, durationSeconds: 60 },
  ai: { points: 10, durationSeconds: 60 },
  upload: { points: 20, durationSeconds: 60 },
  login: { points: 5, durationSeconds: 15 * 60 },
  signup: { points: 3, durationSeconds: 60 * 60 },
  /** Forum topics and comments, per caller. */
  forumPost: { points: 10, durationSeconds: 60 },
} as const;

export type RateLimitPolicy = keyof typeof rateLimitPolicies;
