import { Table, type TableProps, type TableTdProps } from "@mantine/core";
import type { Key, ReactNode } from "react";
import type { Page } from "@/lib/api";
import { type PageControl, PaginationBar } from "./PaginationBar";
import { QueryBoundary } from "./QueryState";
import { ScrollTable } from "./ScrollTable";

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  tdProps?: TableTdProps;
}

/**
 * The list screens' table: loading, error (with retry) and empty states, a horizontally
 * scrollable Mantine table built from `columns`, and the page bar when the list is paged.
 */
export function PagedTable<T>({
  query,
  loadingLabel,
  label,
  minWidth,
  columns,
  rowKey,
  empty,
  tableProps,
  pagination,
}: {
  query: {
    data: Page<T> | T[] | undefined;
    error: unknown;
    isPending: boolean;
    refetch: () => unknown;
  };
  loadingLabel: string;
  /** The table's accessible name (the scroll region's label). */
  label: string;
  minWidth: number;
  columns: Column<T>[];
  rowKey: (row: T) => Key;
  empty: ReactNode;
  tableProps?: TableProps;
  pagination?: PageControl;
}) {
  return (
    <QueryBoundary query={query} loadingLabel={loadingLabel}>
      {(data) => {
        const items = Array.isArray(data) ? data : data.items;
        if (items.length === 0) return empty;
        return (
          <>
            <ScrollTable label={label} minWidth={minWidth}>
              <Table striped {...tableProps}>
                <Table.Thead>
                  <Table.Tr>
                    {columns.map((c, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed
                      <Table.Th key={i}>{c.header}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((row) => (
                    <Table.Tr key={rowKey(row)}>
                      {columns.map((c, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: columns are fixed
                        <Table.Td key={i} {...c.tdProps}>
                          {c.cell(row)}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
            {pagination && !Array.isArray(data) && (
              <PaginationBar info={data.pagination} {...pagination} />
            )}
          </>
        );
      }}
    </QueryBoundary>
  );
}
