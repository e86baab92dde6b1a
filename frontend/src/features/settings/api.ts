import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Complete } from "@/lib/types";

type Schemas = components["schemas"];
export type SettingsPatch = Schemas["SettingsPatch"];
export type Preferences = Complete<Schemas["Preferences"]>;

export function useUpdateSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsPatch) => unwrap(api.PATCH("/api/v1/settings", { body })),
    onSuccess: (data) => {
      qc.setQueryData(queryKeys.settings(), data);
      return qc.invalidateQueries({ queryKey: queryKeys.portfolio.all() });
    },
  });
}

export function usePreferences() {
  return useQuery({
    queryKey: queryKeys.preferences(),
    queryFn: () => unwrap(api.GET("/api/v1/auth/me/preferences")),
  });
}

export function useUpdatePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<Preferences>) =>
      unwrap(api.PATCH("/api/v1/auth/me/preferences", { body })),
    onSuccess: (data) => qc.setQueryData(queryKeys.preferences(), data),
  });
}
