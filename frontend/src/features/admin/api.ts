import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, unwrapPage } from "@/lib/api";
import { queryKeys } from "@/lib/queryKeys";
import type { Role } from "@/lib/types";

export function useUsers(
  params: { page?: number; page_size?: number; role?: Role; q?: string } = {},
) {
  return useQuery({
    queryKey: queryKeys.users.list(params),
    queryFn: () => unwrapPage(api.GET("/api/v1/users", { params: { query: params } })),
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; name: string; role: Role; password?: string }) =>
      unwrap(api.POST("/api/v1/users", { body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.users.all() }),
  });
}

export function usePatchUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; name?: string; role?: Role; active?: boolean }) =>
      unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.users.all() }),
  });
}

export function useSaveCompany() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...body
    }: {
      id?: number;
      name: string;
      description: string;
      joined_at?: string;
      cohort_id?: number | null;
    }) =>
      id == null
        ? unwrap(api.POST("/api/v1/companies", { body }))
        : unwrap(
            api.PATCH("/api/v1/companies/{company_id}", {
              params: { path: { company_id: id } },
              body,
            }),
          ),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.companies.all() }),
        qc.invalidateQueries({ queryKey: queryKeys.portfolio.all() }),
      ]),
  });
}

export function useAssignment(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      kind,
      userId,
      assign,
    }: {
      kind: "coaches" | "members";
      userId: number;
      assign: boolean;
    }) => {
      const init = { params: { path: { company_id: companyId, user_id: userId } } };
      if (kind === "coaches")
        return assign
          ? unwrap(api.PUT("/api/v1/companies/{company_id}/coaches/{user_id}", init))
          : unwrap(api.DELETE("/api/v1/companies/{company_id}/coaches/{user_id}", init));
      return assign
        ? unwrap(api.PUT("/api/v1/companies/{company_id}/members/{user_id}", init))
        : unwrap(api.DELETE("/api/v1/companies/{company_id}/members/{user_id}", init));
    },
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.users.all() }),
        qc.invalidateQueries({ queryKey: queryKeys.companies.detail(companyId) }),
      ]),
  });
}

export function useStakeholders(companyId: number) {
  return useQuery({
    queryKey: queryKeys.companies.stakeholders(companyId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/companies/{company_id}/stakeholders", {
          params: { path: { company_id: companyId } },
        }),
      ),
  });
}

export type Frequency = "immediate" | "weekly";

export function useUpdateStakeholder(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: number; frequency?: Frequency; name?: string }) =>
      unwrap(
        api.PATCH("/api/v1/stakeholders/{stakeholder_id}", {
          params: { path: { stakeholder_id: id } },
          body,
        }),
      ),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: queryKeys.companies.stakeholders(companyId) }),
  });
}

export function useAddStakeholder(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; name: string; frequency: Frequency }) =>
      unwrap(
        api.POST("/api/v1/companies/{company_id}/stakeholders", {
          params: { path: { company_id: companyId } },
          body,
        }),
      ),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: queryKeys.companies.stakeholders(companyId) }),
  });
}

export function useRemoveStakeholder(companyId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.DELETE("/api/v1/stakeholders/{stakeholder_id}", {
          params: { path: { stakeholder_id: id } },
        }),
      ),
    onSuccess: () =>
      qc.invalidateQueries({ queryKey: queryKeys.companies.stakeholders(companyId) }),
  });
}

export function useOutbox(params: {
  status?: "pending" | "sent" | "failed";
  page?: number;
  page_size?: number;
}) {
  return useQuery({
    queryKey: queryKeys.outbox.list(params),
    queryFn: () => unwrapPage(api.GET("/api/v1/admin/outbox", { params: { query: params } })),
  });
}

export function useRequeue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      unwrap(
        api.POST("/api/v1/admin/outbox/{message_id}/requeue", {
          params: { path: { message_id: id } },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.outbox.all() }),
  });
}
