import { type QueryClient, useQuery } from "@tanstack/react-query";
import { api, unwrap, unwrapPage } from "./api";
import { queryKeys } from "./queryKeys";

export function useCompany(id: number) {
  return useQuery({
    queryKey: queryKeys.companies.detail(id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/companies/{company_id}", { params: { path: { company_id: id } } })),
  });
}

export function useCompanies(params: { page?: number; page_size?: number; q?: string } = {}) {
  return useQuery({
    queryKey: queryKeys.companies.list(params),
    queryFn: () => unwrapPage(api.GET("/api/v1/companies", { params: { query: params } })),
  });
}

/** After a write about a company: everything under it, and the screens that sum companies up
 * (lists, portfolio, analytics, activity, the review queue). */
export function invalidateCompany(qc: QueryClient, companyId: number) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.companies.detail(companyId) }),
    qc.invalidateQueries({ queryKey: queryKeys.companies.lists() }),
    qc.invalidateQueries({ queryKey: queryKeys.portfolio.all() }),
    qc.invalidateQueries({ queryKey: queryKeys.analytics.all() }),
    qc.invalidateQueries({ queryKey: queryKeys.activity.all() }),
    qc.invalidateQueries({ queryKey: queryKeys.reviews.all() }),
  ]);
}
