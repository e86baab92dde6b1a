import { Group, Pagination, Text } from "@mantine/core";
import type { Pagination as PageInfo } from "@/lib/api";

/** Which page a paged list shows, how to change it, and the page bar's accessible name. */
export interface PageControl {
  page: number;
  onChange: (page: number) => void;
  label: string;
}

export function PaginationBar({
  info,
  page,
  onChange,
  label,
}: PageControl & { info: PageInfo | null | undefined }) {
  if (!info || info.totalPages <= 1) {
    return info ? (
      <Text size="sm" c="dimmed">
        {info.total} in total
      </Text>
    ) : null;
  }
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {info.total} in total
      </Text>
      <Pagination
        total={info.totalPages}
        value={page}
        onChange={onChange}
        size="sm"
        aria-label={label}
        getControlProps={(control) => ({
          "aria-label":
            control === "previous" ? "Previous page" : control === "next" ? "Next page" : control,
        })}
        getItemProps={(p) => ({ "aria-label": `Page ${p}` })}
      />
    </Group>
  );
}
