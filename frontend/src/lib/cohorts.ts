import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "./api";
import { queryKeys } from "./queryKeys";

export function useCohorts() {
  return useQuery({
    queryKey: queryKeys.cohorts.list(),
    queryFn: () => unwrap(api.GET("/api/v1/cohorts")),
  });
}
