import { Box } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * A horizontally scrollable table wrapper; focusable because keyboard users must be able to
 * scroll it (axe: scrollable-region-focusable).
 */
export function ScrollTable({
  label,
  minWidth,
  children,
}: {
  label: string;
  minWidth: number;
  children: ReactNode;
}) {
  return (
    <Box component="section" tabIndex={0} aria-label={label} style={{ overflowX: "auto" }}>
      <Box miw={minWidth}>{children}</Box>
    </Box>
  );
}
