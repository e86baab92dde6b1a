import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapPage, unwrapWithResponse } from "@/lib/api";
import type { EvidenceCreate, MilestoneKey, MilestoneStatus } from "@/lib/types";

export const companyKeys = {
  all: ["companies"] as const,
  list: (params: object = {}) => ["companies", "list", params] as const,
  detail: (id: number) => ["companies", id] as const,
  milestones: (id: number) => ["companies", id, "milestones"] as const,
  status: (id: number, key: MilestoneKey) => ["companies", id, "milestones", key] as const,
  evidence: (id: number, key: MilestoneKey) => ["companies", id, "evidence", key] as const,
  metrics: (id: number) => ["companies", id, "metrics"] as const,
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
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/companies/{company_id}/milestones", {
          params: { path: { company_id: id } },
        }),
      ),
  });
}

/**
 * The status's ETag for If-Match. Only a per-status answer carries the right one; when the
 * API has no such route the toggle simply goes without If-Match.
 */
export function useStatusEtag(id: number, key: MilestoneKey, enabled: boolean) {
  return useQuery({
    queryKey: companyKeys.status(id, key),
    enabled,
    retry: false,
    staleTime: 0,
    queryFn: async () => {
      try {
        const { response } = await unwrapWithResponse(
          api.GET("/api/v1/companies/{company_id}/milestones/{key}", {
            params: { path: { company_id: id, key } },
          }),
        );
        return response.headers.get("ETag");
      } catch {
        return null;
      }
    },
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
    mutationFn: async ({ achieved, reason, etag }: ToggleInput): Promise<MilestoneStatus> => {
      const body: { achieved: boolean; reason?: string } = { achieved };
      if (reason) body.reason = reason;
      const { data, response } = await unwrapWithResponse(
        api.PUT("/api/v1/companies/{company_id}/milestones/{key}", {
          params: {
            path: { company_id: companyId, key },
            header: etag ? { "If-Match": etag } : undefined,
          },
          body,
        }),
      );
      const next = response.headers.get("ETag");
      if (next) qc.setQueryData(companyKeys.status(companyId, key), next);
      return data;
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
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/companies/{company_id}/milestones/{key}/evidence", {
          params: { path: { company_id: companyId, key } },
        }),
      ),
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
