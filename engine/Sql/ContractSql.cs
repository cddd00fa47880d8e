using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Sql;

/// <summary>
/// A step's contract (issue 23), checked in its transaction after its SELECT's rows are in
/// <see cref="StepTables.Rows"/> and before anything is published: the SELECT returns exactly
/// the declared columns, each of its declared type (PostgreSQL's own spelling, compared through
/// an empty table with the declared columns, so <c>int</c> is <c>integer</c>; a declared
/// precision is compared too), and no NULL in a <c>not_null</c> column. A breach fails the step
/// naming the columns (never a value).
/// </summary>
public static class ContractSql
{
    public static string Check(StepConfig step)
    {
        var declared = string.Join(", ", step.Columns.Select(c => $"{Identifier.Parse(c.Name).Quoted} {c.Type}"));
        var notNull = step.Columns.Where(c => c.NotNull).Select(c => Identifier.Parse(c.Name)).ToList();
        var nullChecks = string.Concat(notNull.Select(c =>
            $"    IF EXISTS (SELECT FROM pg_temp.{StepTables.Rows} WHERE {c.Quoted} IS NULL) THEN\n" +
            $"        problems := array_append(problems, {SqlText.Literal($"column '{c.Name}' holds NULL, and the contract says not_null")});\n" +
            "    END IF;\n"));
        var prefix = SqlText.Literal($"step '{step.Id}' breaks its contract: ");
        return $"""
            -- {step.Id}: contract (columns, types, not_null) checked before the rows are published
            CREATE TEMP TABLE {StepTables.Contract} ({declared}) ON COMMIT DROP;
            DO $lp_contract$
            DECLARE
                problems text[];
            BEGIN
                WITH declared AS (
                    SELECT attname::text AS name, attnum, atttypid, atttypmod
                    FROM pg_attribute
                    WHERE attrelid = 'pg_temp.{StepTables.Contract}'::regclass AND attnum > 0 AND NOT attisdropped
                ),
                returned AS (
                    SELECT attname::text AS name, attnum, atttypid, atttypmod
                    FROM pg_attribute
                    WHERE attrelid = 'pg_temp.{StepTables.Rows}'::regclass AND attnum > 0 AND NOT attisdropped
                )
                SELECT array_agg(problem ORDER BY kind, position) INTO problems
                FROM (
                    SELECT 1 AS kind, d.attnum AS position, format('column ''%s'' is declared but the SELECT does not return it', d.name) AS problem
                    FROM declared AS d
                    WHERE NOT EXISTS (SELECT FROM returned AS r WHERE r.name = d.name)
                    UNION ALL
                    SELECT 2, r.attnum, format('the SELECT returns column ''%s'', which the contract does not declare', r.name)
                    FROM returned AS r
                    WHERE NOT EXISTS (SELECT FROM declared AS d WHERE d.name = r.name)
                    UNION ALL
                    SELECT 3, d.attnum, format('column ''%s'' is %s, and the contract says %s', d.name,
                        format_type(r.atttypid, r.atttypmod), format_type(d.atttypid, d.atttypmod))
                    FROM declared AS d
                    JOIN returned AS r ON r.name = d.name
                    WHERE r.atttypid <> d.atttypid OR (d.atttypmod <> -1 AND r.atttypmod <> d.atttypmod)
                ) AS breaches;
                problems := coalesce(problems, ARRAY[]::text[]);
            {nullChecks}    IF cardinality(problems) > 0 THEN
                    RAISE EXCEPTION USING MESSAGE = {prefix} || array_to_string(problems, '; '),
                        HINT = 'change the SELECT, or the columns: of the step in pipeline.yaml';
                END IF;
            END
            $lp_contract$;
            DROP TABLE {StepTables.Contract};

            """;
    }
}
