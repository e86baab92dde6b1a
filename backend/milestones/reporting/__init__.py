"""Figures computed by the database (SPEC "Metrics"): per company and milestone
(company_metrics, trend), one row per company (portfolio, from company_stats) and across
companies (analytics). Every figure is an SQL aggregate; each function runs a fixed
number of statements whatever the data size. "Now" is milestones.timeutil.utcnow(),
passed as a bound parameter: the database clock is never read, so tests can freeze time.
Statements are built once per shape (functools.cache) with bound parameters."""
