using System.Text.RegularExpressions;

namespace Lacrei.Engine.Tests.Reliability;

/// <summary>The shop fixture prepared for fault injection: every step can be slowed down by a variable.</summary>
internal static partial class Shop
{
    /// <summary>Every table and view the shop pipeline builds, to compare two states in full.</summary>
    public static readonly string[] Relations =
    [
        "{seeds}.order_statuses", "{staging}.customers", "{staging}.orders", "{model}.order_facts",
        "{mart}.daily_revenue", "{mart}.customer_totals", "{mart}.revenue_by_region",
    ];

    /// <summary>
    /// Declares <c>vars.slow</c> (seconds, default 0) and makes every step sleep that long inside
    /// its transaction: a SELECT step through a materialized CTE (evaluated once), the script
    /// step through a trailing statement. <c>--var slow=0.2</c> then spreads a run over time.
    /// </summary>
    public static void MakeSlowable(IsolatedPipeline pipeline)
    {
        pipeline.EditFile("pipeline.yaml", yaml => yaml.Replace("vars:\n", "vars:\n  slow: \"0\"\n"));
        foreach (var file in new[] { "staging/customers.sql", "staging/orders.sql", "model/order_facts.sql", "mart/daily_revenue.sql", "mart/customer_totals.sql" })
            pipeline.EditFile(file, sql =>
            {
                sql = FirstSelect().Replace(sql, "WITH slow_down AS MATERIALIZED (SELECT pg_sleep({{ vars.slow }}))\nSELECT", 1);
                return FirstFromItem().Replace(sql, "$0\nCROSS JOIN slow_down", 1);
            });
        pipeline.EditFile("mart/revenue_by_region.sql", sql => sql + "\nSELECT pg_sleep({{ vars.slow }});\n");
    }

    /// <summary>The content of every relation, keyed by its name.</summary>
    public static async Task<Dictionary<string, string>> SnapshotAsync(IsolatedPipeline pipeline)
    {
        var snapshot = new Dictionary<string, string>();
        foreach (var relation in Relations) snapshot[relation] = await pipeline.ContentAsync(relation);
        return snapshot;
    }

    [GeneratedRegex(@"^SELECT", RegexOptions.Multiline)]
    private static partial Regex FirstSelect();

    [GeneratedRegex(@"FROM \{\{[^}]*\}\} AS \w+")]
    private static partial Regex FirstFromItem();
}
