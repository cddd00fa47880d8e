SET LOCAL lacrei_pipeline.step = 'staging.payments';
-- staging.payments: view "authoring_staging"."payments" (CREATE OR REPLACE VIEW; when its columns change, it and the views on it are created again, never dropped with CASCADE)
CREATE TEMP VIEW lp_step_view AS
-- Grain: one row per payment of an accepted method (vars.payment_methods), amounts in reais.
SELECT
    p.id AS payment_id,
    p.method,
    round(p.amount_cents / 100.0, 2) AS reais,
    p.amount_cents >= 10000 AS big
FROM "authoring_pipeline"."raw_payments" AS p
WHERE p.method IN ('credit_card', 'pix')
;
CALL "authoring_pipeline".lp_view(p_step => 'staging.payments', p_target => '"authoring_staging"."payments"', p_definition_of => 'lp_step_view');
DROP VIEW lp_step_view;
COMMENT ON VIEW "authoring_staging"."payments" IS 'Payments of the accepted methods, in reais.';

-- ==== data test accepted_values(method) (error): offending rows ====
SELECT "method", count(*) AS rows FROM "authoring_staging"."payments" WHERE "method" IS NOT NULL AND "method"::text NOT IN ('credit_card', 'pix') GROUP BY "method"
