import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";

export function useCohortComparison() {
  return useQuery({
    queryKey: queryKeys.analytics.cohorts(),
    queryFn: () => unwrap(api.GET("/api/v1/analytics/cohorts")),
  });
}

export interface CohortBody {
  name: string;
  starts_on: string;
  ends_on: string | null;
}

function useInvalidateCohorts() {
  const qc = useQueryClient();
  return () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: queryKeys.cohorts.all() }),
      qc.invalidateQueries({ queryKey: queryKeys.analytics.all() }),
    ]);
}

export function useSaveCohort() {
  const invalidate = useInvalidateCohorts();
  return useMutation({
    mutationFn: ({ id, ...body }: CohortBody & { id?: number }) =>
      id == null
        ? unwrap(api.POST("/api/v1/cohorts", { body }))
        : unwrap(
            api.PATCH("/api/v1/cohorts/{cohort_id}", { params: { path: { cohort_id: id } }, body }),
          ),
    onSuccess: invalidate,
  });
}

export function useDeleteCohort() {
  const invalidate = useInvalidateCohorts();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(api.DELETE("/api/v1/cohorts/{cohort_id}", { params: { path: { cohort_id: id } } })),
    onSuccess: invalidate,
  });
}
