import { Stack } from "@mantine/core";
import { Fragment, type Key, type ReactNode } from "react";
import type { Page } from "@/lib/api";
import { type PageControl, PaginationBar } from "./PaginationBar";
import { QueryBoundary } from "./QueryState";

/** A paged list of cards (tasks, updates): loading, error and empty states, the items as a
 * labelled <ul>, and the page bar. */
export function PagedList<T>({
  query,
  loadingLabel,
  label,
  empty,
  rowKey,
  renderItem,
  pagination,
}: {
  query: { data: Page<T> | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  loadingLabel: string;
  label: string;
  empty: ReactNode;
  rowKey: (item: T) => Key;
  renderItem: (item: T) => ReactNode;
  pagination: PageControl;
}) {
  return (
    <QueryBoundary query={query} loadingLabel={loadingLabel}>
      {(data) =>
        data.items.length === 0 ? (
          empty
        ) : (
          <>
            <Stack
              gap="xs"
              component="ul"
              style={{ listStyle: "none", padding: 0, margin: 0 }}
              aria-label={label}
            >
              {data.items.map((item) => (
                <Fragment key={rowKey(item)}>{renderItem(item)}</Fragment>
              ))}
            </Stack>
            <PaginationBar info={data.pagination} {...pagination} />
          </>
        )
      }
    </QueryBoundary>
  );
}
