import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";

export function useMilestoneAnalytics() {
  return useQuery({
    queryKey: ["analytics", "milestones"],
    queryFn: () => unwrap(api.GET("/api/v1/analytics/milestones")),
  });
}
