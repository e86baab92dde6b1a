import { useQuery } from "@tanstack/react-query";
import { api, unwrapPage } from "./api";
import { queryKeys } from "./queryKeys";
import type { MilestoneKey, TaskStatus } from "./types";

/** A company's tasks (the tasks panel; the update form links an update to one). */
export interface TaskFilters {
  milestone?: MilestoneKey;
  status?: TaskStatus;
  page?: number;
  page_size?: number;
}

export function useTasks(companyId: number, filters: TaskFilters = {}) {
  return useQuery({
    queryKey: queryKeys.companies.tasks(companyId, filters),
    queryFn: () =>
      unwrapPage(
        api.GET("/api/v1/companies/{company_id}/tasks", {
          params: { path: { company_id: companyId }, query: filters },
        }),
      ),
  });
}
