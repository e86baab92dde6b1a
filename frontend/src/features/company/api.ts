import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap } from "@/lib/api";
import { invalidateCompany } from "@/lib/companies";
import { queryKeys } from "@/lib/queryKeys";
import type {
  CompanyMilestones,
  Evidence,
  EvidenceCreate,
  MilestoneKey,
  ReviewStatus,
  StatusCriterion,
} from "@/lib/types";

export function useCompanyMilestones(id: number) {
  return useQuery({
    queryKey: queryKeys.companies.milestones(id),
    queryFn: async () =>
      (await unwrap(
        api.GET("/api/v1/companies/{company_id}/milestones", {
          params: { path: { company_id: id } },
        }),
      )) as CompanyMilestones,
  });
}

export interface ToggleInput {
  achieved: boolean;
  reason?: string;
  etag?: string | null;
}

export function useToggleMilestone(companyId: number, key: MilestoneKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ achieved, reason, etag }: ToggleInput) => {
      const body: { achieved: boolean; reason?: string } = { achieved };
      if (reason) body.reason = reason;
      return unwrap(
        api.PUT("/api/v1/companies/{company_id}/milestones/{key}", {
          params: {
            path: { company_id: companyId, key },
            header: etag ? { "If-Match": etag } : undefined,
          },
          body,
        }),
      );
    },
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}

export function useEvidence(companyId: number, key: MilestoneKey) {
  return useQuery({
    queryKey: queryKeys.companies.evidence(companyId, key),
    queryFn: async () =>
      // `attachment` is a nested object the spec leaves untyped; see lib/types.ts.
      (await unwrap(
        api.GET("/api/v1/companies/{company_id}/milestones/{key}/evidence", {
          params: { path: { company_id: companyId, key }, query: { page_size: 200 } },
        }),
      )) as Evidence[],
  });
}

export function useCreateEvidence(companyId: number, key: MilestoneKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: EvidenceCreate) =>
      unwrap(
        api.POST("/api/v1/companies/{company_id}/milestones/{key}/evidence", {
          params: { path: { company_id: companyId, key } },
          body,
        }),
      ),
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}

export function useDeleteEvidence(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (evidenceId: number) =>
      unwrap(
        api.DELETE("/api/v1/evidence/{evidence_id}", {
          params: { path: { evidence_id: evidenceId } },
        }),
      ),
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}

export function evidenceDownloadUrl(evidenceId: number): string {
  return `/api/v1/evidence/${evidenceId}/download`;
}

export function useCompanyMetrics(companyId: number) {
  return useQuery({
    queryKey: queryKeys.companies.metrics(companyId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/companies/{company_id}/metrics", {
          params: { path: { company_id: companyId } },
        }),
      ),
  });
}

export function useMetricSeries(companyId: number) {
  return useQuery({
    queryKey: queryKeys.companies.metricSeries(companyId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/companies/{company_id}/metric-series", {
          params: { path: { company_id: companyId } },
        }),
      ),
  });
}

export function useProposals(companyId: number, status?: ReviewStatus) {
  return useQuery({
    queryKey: queryKeys.companies.proposals(companyId, status),
    queryFn: async () =>
      (await unwrap(
        api.GET("/api/v1/companies/{company_id}/evidence-proposals", {
          params: {
            path: { company_id: companyId },
            query: { page_size: 100, ...(status ? { review_status: status } : {}) },
          },
        }),
      )) as Evidence[],
  });
}

export function useReviewEvidence(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      evidenceId,
      accept,
      comment,
    }: {
      evidenceId: number;
      accept: boolean;
      comment?: string;
    }) => {
      const params = { path: { evidence_id: evidenceId } };
      return accept
        ? unwrap(
            api.POST("/api/v1/evidence/{evidence_id}/accept", {
              params,
              body: comment ? { comment } : {},
            }),
          )
        : unwrap(
            api.POST("/api/v1/evidence/{evidence_id}/reject", {
              params,
              body: { comment: comment ?? "" },
            }),
          );
    },
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}

export function useCheckCriterion(companyId: number, key: MilestoneKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({
      criterion,
      met,
      note,
    }: {
      criterion: string;
      met: boolean;
      note?: string | null;
    }) =>
      (await unwrap(
        api.PUT("/api/v1/companies/{company_id}/milestones/{key}/criteria/{criterion}", {
          params: { path: { company_id: companyId, key, criterion } },
          body: note ? { met, note } : { met },
        }),
      )) as StatusCriterion,
    onSuccess: () => invalidateCompany(qc, companyId),
  });
}
