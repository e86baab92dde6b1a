import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Complete } from "@/lib/types";

type Schemas = components["schemas"];
export type ShareLink = Complete<Schemas["ShareLink"]>;
export type CreatedShareLink = Complete<Schemas["ShareLinkCreated"]>;
export type SharedPageData = Complete<Schemas["SharedPage"]>;
export type SharedMilestone = Complete<Schemas["SharedMilestone"]>;

export function useShareLinks(companyId: number) {
  return useQuery({
    queryKey: queryKeys.companies.shareLinks(companyId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/companies/{company_id}/share-links", {
          params: { path: { company_id: companyId } },
        }),
      ),
  });
}

export function useCreateShareLink(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: {
      label: string;
      expires_at: string | null;
      include_reasons: boolean;
      for_stakeholders: boolean;
    }) =>
      unwrap(
        api.POST("/api/v1/companies/{company_id}/share-links", {
          params: { path: { company_id: companyId } },
          body,
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.companies.shareLinks(companyId) }),
  });
}

export function useRevokeShareLink(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (linkId: number) =>
      unwrap(
        api.DELETE("/api/v1/share-links/{link_id}", { params: { path: { link_id: linkId } } }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.companies.shareLinks(companyId) }),
  });
}

export function useSharedPage(token: string) {
  return useQuery({
    queryKey: queryKeys.shared(token),
    queryFn: () => unwrap(api.GET("/api/v1/shared/{token}", { params: { path: { token } } })),
    retry: false,
  });
}
