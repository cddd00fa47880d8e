-- Dates of timestamps (SPEC §9.3: every date derived from a timestamp is taken in vars.timezone).
-- 'infinity' and '-infinity' are timestamps PostgreSQL stores (an application's "never" or
-- "always", an import's placeholder) but they fall on no day: their date is NULL, unknown, as a
-- missing value's is. Converting them would give an infinite date, which no calendar holds and no
-- subtraction accepts, and one such row would stop every run.
{{ func local_date(column) }}CASE WHEN isfinite({{ column }}) THEN ({{ column }} AT TIME ZONE '{{ vars.timezone }}')::date END{{ end }}
