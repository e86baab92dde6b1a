// Every Mantine component's styles, for the screens that use many of them (the signed-in
// app, the public share page): imported by their chunks, so the sign-in page does not
// load them (it has ./public.ts).
import "@mantine/core/styles.css";
