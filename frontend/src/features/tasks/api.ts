import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { invalidateCompany } from "@/lib/companies";
import type { MilestoneKey } from "@/lib/types";

export function useCreateTask(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { title: string; description: string; milestone?: MilestoneKey }) =>
      unwrap(
        api.POST("/api/v1/companies/{company_id}/tasks", {
          params: { path: { company_id: companyId } },
          body,
        }),
      ),
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}

export type TaskAction = "submit" | "approve" | "reject" | "cancel";

export function useTaskAction(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      taskId,
      action,
      comment,
    }: {
      taskId: number;
      action: TaskAction;
      comment?: string;
    }) => {
      const path = { task_id: taskId };
      const review = { params: { path }, body: comment ? { comment } : {} };
      switch (action) {
        case "submit":
          return unwrap(api.POST("/api/v1/tasks/{task_id}/submit", { params: { path }, body: {} }));
        case "approve":
          return unwrap(api.POST("/api/v1/tasks/{task_id}/approve", review));
        case "reject":
          return unwrap(api.POST("/api/v1/tasks/{task_id}/reject", review));
        case "cancel":
          return unwrap(api.POST("/api/v1/tasks/{task_id}/cancel", { params: { path }, body: {} }));
      }
    },
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}
