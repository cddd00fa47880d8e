-- Dates of timestamps (SPEC §9.3: every date derived from a timestamp is taken in vars.timezone).
-- 'infinity' and '-infinity' are timestamps PostgreSQL stores (an application's "never" or
-- "always", an import's placeholder) but they fall on no day, and a day before the year 1 or after
-- 9999 has no date key (YYYYMMDD) and no place in a calendar that covers every date of the data
-- (the largest timestamp, in the year 294276, stopped the calendar with "timestamp out of range"):
-- such a time's date is NULL, unknown, as a missing value's is. The bounds are taken a day inside,
-- in the column's own type, so that no time zone moves a date across them; an infinite or
-- out-of-range date would otherwise reach a subtraction that refuses it and stop every run.
-- has_local_date is the test alone (NULL for a NULL time; an AND, to be used whole): a filter on it
-- converts no time zone.
{{ func has_local_date(column) }}{{ column }} > '0001-01-02' AND {{ column }} < '9999-12-31'{{ end }}
{{ func local_date(column) }}CASE WHEN {{ has_local_date column }} THEN ({{ column }} AT TIME ZONE '{{ vars.timezone }}')::date END{{ end }}

-- The age in whole years at a time, as the sign-up age is taken (SPEC §9.3): from birth_date to
-- at_time's date in vars.timezone, what EXTRACT(YEAR FROM age(that date, birth_date)) gives
-- (equal on 300,000 random pairs), and negative (-1 - the years the other way) for a birth after
-- it; NULL without a birth date, or when either is infinite. In date arithmetic only: age() takes
-- timestamps, and a date holds years no timestamp can (up to 5874897), so one such birth date
-- stopped every run with "date out of range for timestamp".
{{ func whole_years(from_date, to_date) }}((EXTRACT(YEAR FROM {{ to_date }}) - EXTRACT(YEAR FROM {{ from_date }}))::integer - CASE WHEN (EXTRACT(MONTH FROM {{ to_date }}), EXTRACT(DAY FROM {{ to_date }})) < (EXTRACT(MONTH FROM {{ from_date }}), EXTRACT(DAY FROM {{ from_date }})) THEN 1 ELSE 0 END){{ end }}
{{ func age_at(birth_date, at_time) }}{{ at_date = "(" + at_time + " AT TIME ZONE '" + vars.timezone + "')::date" }}CASE WHEN NOT (isfinite({{ birth_date }}) AND isfinite({{ at_time }})) THEN NULL WHEN {{ birth_date }} <= {{ at_date }} THEN {{ whole_years birth_date at_date }} ELSE -1 - {{ whole_years at_date birth_date }} END{{ end }}

-- The days the calendar always covers (SPEC §9.4: 2020-01-01 to 2030-12-31, widened to every date
-- of the data): model.dim_lacreisaude_date builds from them, and its scope rebuilds the calendar
-- only for a date outside them.
{{ func calendar_first }}DATE '2020-01-01'{{ end }}
{{ func calendar_last }}DATE '2030-12-31'{{ end }}
