import { Group, Pagination, Text } from "@mantine/core";
import type { Pagination as PageInfo } from "@/lib/api";

export function PaginationBar({
  info,
  page,
  onChange,
  label,
}: {
  info: PageInfo | null | undefined;
  page: number;
  onChange: (page: number) => void;
  label: string;
}) {
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
