import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, unwrap } from "./api";
import { queryKeys } from "./queryKeys";
import type { Milestone, MilestoneKey } from "./types";

/** The catalogue from GET /milestones; it never changes while the app runs. */
export function useCatalogue(enabled = true) {
  return useQuery({
    queryKey: queryKeys.catalogue(),
    queryFn: () => unwrap(api.GET("/api/v1/milestones")),
    staleTime: Infinity,
    gcTime: Infinity,
    enabled,
  });
}

export interface MilestoneNames {
  catalogue: Milestone[];
  /** The milestone's title; "All achieved" for none (a company past the last one). */
  title: (key: string | null | undefined) => string;
  isKey: (value: string | null | undefined) => value is MilestoneKey;
  options: { value: MilestoneKey; label: string }[];
}

export function milestoneNames(catalogue: Milestone[]): MilestoneNames {
  return {
    catalogue,
    title: (key) => (key ? (catalogue.find((m) => m.key === key)?.title ?? key) : "All achieved"),
    isKey: (value): value is MilestoneKey => catalogue.some((m) => m.key === value),
    options: catalogue.map((m) => ({ value: m.key, label: m.title })),
  };
}

/** Names and options from the catalogue, which RequireAuth loads before any screen. */
export function useMilestones(): MilestoneNames {
  const { data } = useCatalogue();
  return useMemo(() => milestoneNames(data ?? []), [data]);
}
