import {
  type CSSVariablesResolver,
  createTheme,
  DEFAULT_THEME,
  defaultVariantColorsResolver,
  type MantineColorsTuple,
  type VariantColorsResolver,
} from "@mantine/core";

/** A palette with darker 8th and 9th shades, so text and white-on-filled pass WCAG AA. */
function deepen(
  name: "green" | "orange" | "red",
  shade8: string,
  shade9: string,
): MantineColorsTuple {
  const c = DEFAULT_THEME.colors[name];
  return [c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], shade8, shade9];
}

/** Light and outline badges/buttons use the darkest shade for their text. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input);
  const name = (input.color ?? input.theme.primaryColor).split(".")[0] ?? "";
  if (!(name in input.theme.colors)) return base;
  if (input.variant === "light") return { ...base, color: `var(--mantine-color-${name}-9)` };
  if (input.variant === "outline")
    return {
      ...base,
      color: `var(--mantine-color-${name}-9)`,
      border: `1px solid var(--mantine-color-${name}-9)`,
    };
  return base;
};

export const theme = createTheme({
  primaryColor: "indigo",
  colors: {
    green: deepen("green", "#237032", "#1b5e27"),
    orange: deepen("orange", "#a63c06", "#8a3205"),
    red: deepen("red", "#c02020", "#9e1a1a"),
  },
  variantColorResolver,
  // Darker filled shades so white text on buttons and badges meets WCAG AA contrast.
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: "md",
  fontFamily:
    "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  headings: { fontWeight: "650" },
  components: {
    Button: { defaultProps: { radius: "md" } },
    Card: { defaultProps: { withBorder: true, padding: "md", radius: "md" } },
    Paper: { defaultProps: { radius: "md" } },
    Select: {
      defaultProps: {
        // The clear (x) button of a clearable select needs an accessible name.
        clearButtonProps: { "aria-label": "Clear selection" },
        // Passing it explicitly unmounts closed dropdowns (Select hands it to keepMounted),
        // so a field's label names only its input, not also a hidden listbox.
        autoSelectOnBlur: false,
      },
    },
    Notification: { defaultProps: { closeButtonProps: { "aria-label": "Dismiss notification" } } },
  },
});

/** Mantine's default "dimmed" gray is below 4.5:1 on white; use a darker one. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-7)",
  },
  dark: {},
});
