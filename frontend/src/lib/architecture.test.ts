import { describe, expect, it } from "vitest";

/**
 * The frontend's layers (STYLE.md, bulletproof-react): app/ composes features; a feature
 * imports shared pieces (components/, lib/) but never another feature; components/ and lib/
 * import no feature and no app module; query keys are built in lib/queryKeys.ts only.
 */
const sources = import.meta.glob<string>(["/src/**/*.{ts,tsx}", "!/src/api/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** "src/features/tasks/api.ts" -> its imports resolved to "src/..." paths (or packages). */
function importsOf(path: string, text: string): string[] {
  const dir = path.split("/").slice(0, -1);
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2]) as string;
    if (spec.startsWith("@/")) return `src/${spec.slice(2)}`;
    if (!spec.startsWith(".")) return spec;
    const parts = [...dir];
    for (const piece of spec.split("/")) {
      if (piece === "..") parts.pop();
      else if (piece !== ".") parts.push(piece);
    }
    return parts.join("/");
  });
}

const files = Object.entries(sources).map(([path, text]) => ({ path: path.slice(1), text }));

function area(path: string): string | null {
  const [, top, feature] = path.split("/");
  if (top === "features") return `features/${feature}`;
  return top === "app" || top === "components" || top === "lib" ? (top as string) : null;
}

describe("architecture", () => {
  it("reads the sources", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(importsOf("src/features/a/b.ts", 'import { x } from "../c/d";')).toEqual([
      "src/features/c/d",
    ]);
  });

  it("no feature imports another feature, and shared code imports no feature or app", () => {
    const wrong: string[] = [];
    for (const { path, text } of files) {
      const from = area(path);
      for (const target of importsOf(path, text)) {
        const to = area(target);
        if (!from || !to || from === to) continue;
        const sharedFrom = from === "components" || from === "lib";
        if (to === "app" && from !== "app") wrong.push(`${path} -> ${target}`);
        else if (to.startsWith("features/") && (sharedFrom || from.startsWith("features/")))
          wrong.push(`${path} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("query keys come from lib/queryKeys.ts", () => {
    const literal = /queryKey:\s*\[/;
    const offenders = files
      .filter(
        ({ path, text }) =>
          !path.endsWith(".test.ts") && !path.endsWith(".test.tsx") && literal.test(text),
      )
      .map(({ path }) => path);
    expect(offenders).toEqual([]);
  });
});
