import dayjs from "dayjs";
import relativeTime from "dayjs/plugin/relativeTime";

dayjs.extend(relativeTime);

export function relative(iso: string): string {
  return dayjs(iso).fromNow();
}

export function exact(iso: string): string {
  return dayjs(iso).format("D MMM YYYY, HH:mm");
}

export function shortDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format("D MMM YYYY") : "—";
}

export function percent(rate: number | null | undefined): string {
  return rate == null ? "—" : `${Math.round(rate * 100)}%`;
}

export function days(value: number | null | undefined): string {
  if (value == null) return "—";
  const rounded = Math.round(value * 10) / 10;
  return `${rounded} day${rounded === 1 ? "" : "s"}`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
