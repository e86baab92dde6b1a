import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapPage } from "@/lib/api";
import type {
  CompanyMilestones,
  Evidence,
  EvidenceCreate,
  MilestoneKey,
  ReviewStatus,
  StatusCriterion,
} from "@/lib/types";

export const companyKeys = {
  all: ["companies"] as const,
  list: (params: object = {}) => ["companies", "list", params] as const,
  detail: (id: number) => ["companies", id] as const,
  milestones: (id: number) => ["companies", id, "milestones"] as const,
  evidence: (id: number, key: MilestoneKey) => ["companies", id, "evidence", key] as const,
  metrics: (id: number) => ["companies", id, "metrics"] as const,
  metricSeries: (id: number) => ["companies", id, "metric-series"] as const,
  proposals: (id: number, status?: ReviewStatus) =>
    ["companies", id, "proposals", status ?? "all"] as const,
  stakeholders: (id: number) => ["companies", id, "stakeholders"] as const,
};

export function useCompany(id: number) {
  return useQuery({
    queryKey: companyKeys.detail(id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/companies/{company_id}", { params: { path: { company_id: id } } })),
  });
}

export function useCompanies(params: { page?: number; page_size?: number; q?: string } = {}) {
  return useQuery({
    queryKey: companyKeys.list(params),
    queryFn: () => unwrapPage(api.GET("/api/v1/companies", { params: { query: params } })),
  });
}

export function useCompanyMilestones(id: number) {
  return useQuery({
    queryKey: companyKeys.milestones(id),
    queryFn: async () =>
      // `metrics` is a free-form dict in the schema; the API fills it with MilestoneMetrics.
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

export function invalidateCompany(qc: ReturnType<typeof useQueryClient>, companyId: number) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: companyKeys.detail(companyId) }),
    qc.invalidateQueries({ queryKey: ["portfolio"] }),
    qc.invalidateQueries({ queryKey: ["analytics"] }),
    qc.invalidateQueries({ queryKey: ["approvals"] }),
  ]);
}

export function useEvidence(companyId: number, key: MilestoneKey) {
  return useQuery({
    queryKey: companyKeys.evidence(companyId, key),
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
    queryKey: companyKeys.metrics(companyId),
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
    queryKey: companyKeys.metricSeries(companyId),
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
    queryKey: companyKeys.proposals(companyId, status),
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
