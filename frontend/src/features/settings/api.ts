import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { components } from "@/api/schema";
import { api, unwrap } from "@/lib/api";
import type { Complete } from "@/lib/types";

type Schemas = components["schemas"];
export type ProgrammeSettings = Complete<Schemas["Settings"]>;
export type SettingsPatch = Schemas["SettingsPatch"];
export type Preferences = Complete<Schemas["Preferences"]>;

const keys = { settings: ["settings"] as const, preferences: ["me", "preferences"] as const };

export function useSettings() {
  return useQuery({
    queryKey: keys.settings,
    queryFn: () => unwrap(api.GET("/api/v1/settings")),
    staleTime: 60_000,
  });
}

export function useUpdateSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsPatch) => unwrap(api.PATCH("/api/v1/settings", { body })),
    onSuccess: (data) => {
      qc.setQueryData(keys.settings, data);
      return qc.invalidateQueries({ queryKey: ["portfolio"] });
    },
  });
}

export function usePreferences() {
  return useQuery({
    queryKey: keys.preferences,
    queryFn: () => unwrap(api.GET("/api/v1/auth/me/preferences")),
  });
}

export function useUpdatePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<Preferences>) =>
      unwrap(api.PATCH("/api/v1/auth/me/preferences", { body })),
    onSuccess: (data) => qc.setQueryData(keys.preferences, data),
  });
}
