import { useQuery } from "@tanstack/react-query";
import type { components } from "@/api/schema";
import { api, unwrap } from "./api";
import { queryKeys } from "./queryKeys";
import type { Complete } from "./types";

export type ProgrammeSettings = Complete<components["schemas"]["Settings"]>;

/** The programme's thresholds (attention, stalls): read by the portfolio and the admins. */
export function useSettings() {
  return useQuery({
    queryKey: queryKeys.settings(),
    queryFn: () => unwrap(api.GET("/api/v1/settings")),
    staleTime: 60_000,
  });
}
