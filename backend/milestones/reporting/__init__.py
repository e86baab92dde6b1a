"""Read models: figures and derived views computed by the database.

Programme reporting builds on them: cohorts side by side (cohorts), the activity log
(activity) and the CSV/XLSX exports of those screens (exports, sources)."""
