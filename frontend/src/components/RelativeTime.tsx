import { Tooltip } from "@mantine/core";
import { exact, relative } from "@/lib/format";

/** "3 days ago", with the exact time on hover and for assistive technology. */
export function RelativeTime({
  value,
  fallback = "—",
}: {
  value: string | null | undefined;
  fallback?: string;
}) {
  if (!value) return <span>{fallback}</span>;
  const full = exact(value);
  return (
    <Tooltip label={full} withArrow openDelay={200}>
      <time dateTime={value} title={full}>
        {relative(value)}
      </time>
    </Tooltip>
  );
}
