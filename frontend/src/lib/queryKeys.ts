/** Every TanStack Query key is built here, so queries and invalidations cannot drift apart. */
export const queryKeys = {
  /** The milestone catalogue (GET /milestones): fixed, read once per session. */
  catalogue: () => ["milestones", "catalogue"] as const,
};
