import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { paths } from "@/api/schema";
import { api, unwrapPage } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";

export type ActivityParams = NonNullable<paths["/api/v1/activity"]["get"]["parameters"]["query"]>;
export type ActivityEvent = NonNullable<ActivityParams["event"]>;

export function useActivity(params: ActivityParams) {
  return useQuery({
    queryKey: queryKeys.activity.list(params),
    queryFn: () => unwrapPage(api.GET("/api/v1/activity", { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}
