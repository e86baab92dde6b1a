import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

export function useMilestoneAnalytics(cohortId?: number) {
  return useQuery({
    queryKey: ["analytics", "milestones", { cohort_id: cohortId }],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/analytics/milestones", { params: { query: { cohort_id: cohortId } } }),
      ),
  });
}
