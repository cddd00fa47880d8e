-- Scope of model.dim_lacreisaude_date: every day of the calendar when a date that came or went
-- (the old and the new values of the rows that changed) lies outside 2020-01-01 .. 2030-12-31,
-- the range the calendar always covers; otherwise nothing. Only such a date can move an end of
-- the calendar (the range widened to the data), so any other change leaves every day as it is,
-- and the step reads none of the four tables (a full pass over each at every run before).
WITH changed_dates AS (
    SELECT
        dates.day
    FROM {{ changes "staging2.lacreiid_appointment" "created_date" "appointment_date" }} AS changed
    CROSS JOIN LATERAL (VALUES (changed.created_date), (changed.appointment_date)) AS dates (day)
    UNION ALL
    SELECT
        changed.signup_date
    FROM {{ changes "staging2.lacreiid_user" "signup_date" }} AS changed
    UNION ALL
    SELECT
        changed.created_date
    FROM {{ changes "staging2.lacreiid_report" "created_date" }} AS changed
    UNION ALL
    SELECT
        changed.created_date
    FROM {{ changes "staging2.lacreiid_cancellation" "created_date" }} AS changed
)
SELECT
    calendar.date_id
FROM {{ this }} AS calendar
WHERE EXISTS (
    SELECT
    FROM changed_dates
    WHERE changed_dates.day NOT BETWEEN {{ calendar_first }} AND {{ calendar_last }}
)
