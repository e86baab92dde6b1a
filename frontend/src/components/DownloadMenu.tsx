import { Button, Menu } from "@mantine/core";

export type ExportReport = "portfolio" | "analytics" | "activity";

/** The URL of an export with the screen's filters (empty values left out). */
export function exportUrl(
  report: ExportReport,
  extension: "csv" | "xlsx",
  query: Record<string, string | number | boolean | null | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value != null && value !== "") params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1/exports/${report}.${extension}${search ? `?${search}` : ""}`;
}

/** "Download" with the screen's rows as CSV or Excel, filtered as the screen is. */
export function DownloadMenu({
  report,
  query,
}: {
  report: ExportReport;
  query: Record<string, string | number | boolean | null | undefined>;
}) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default">Download</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>With the filters shown</Menu.Label>
        <Menu.Item component="a" href={exportUrl(report, "csv", query)} download>
          CSV (.csv)
        </Menu.Item>
        <Menu.Item component="a" href={exportUrl(report, "xlsx", query)} download>
          Excel (.xlsx)
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
