import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { paths } from "@/api/schema";
import { api, unwrapPage } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";

export type PortfolioParams = NonNullable<paths["/api/v1/portfolio"]["get"]["parameters"]["query"]>;
export type PortfolioSort = NonNullable<PortfolioParams["sort"]>;

export function usePortfolio(params: PortfolioParams) {
  return useQuery({
    queryKey: queryKeys.portfolio.list(params),
    queryFn: () => unwrapPage(api.GET("/api/v1/portfolio", { params: { query: params } })),
    placeholderData: keepPreviousData,
  });
}
