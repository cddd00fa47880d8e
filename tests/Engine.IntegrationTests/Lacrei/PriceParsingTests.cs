using Npgsql;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Prices (SPEC §9.3), Brazilian writing first: a comma is the decimal mark when present (dots
/// before it are thousands separators); without a comma, dots each followed by exactly three
/// digits are thousands separators, otherwise a single dot is the decimal mark; empty or
/// unparseable → NULL. Checked by calling the staging 2 function the clinic step uses, as the
/// pipeline's migrations create it on a real PostgreSQL.
/// </summary>
public sealed class PriceParsingTests
{
    /// <summary>The function staging2.lacreisaude_clinic calls (a new rule gets a new name: see 0004_parse_price_brazilian.sql and 0007).</summary>
    private const string Function = "parse_price_v3";

    /// <summary>Raw text → the price in PostgreSQL's text form of the numeric (its scale included), or NULL.</summary>
    private static readonly (string? Raw, string Price)[] Prices = [
        // The examples of SPEC §9.3.
        ("R$ 1.234,56", "1234.56"), ("150,00", "150.00"), ("R$ 1.500", "1500"), ("1.234.567", "1234567"),
        ("150.00", "150.00"), ("150.5", "150.5"), ("150", "150"),
        // A comma: the decimal mark, with any dots before it grouping thousands.
        ("R$ 1.234.567,89", "1234567.89"), ("1.500,5", "1500.5"), ("1234,56", "1234.56"), ("0,50", "0.50"),
        // No comma: a dot before exactly three digits groups thousands; any other single dot is decimal.
        ("1.500", "1500"), ("12.500", "12500"), ("150.000", "150000"), ("12.50", "12.50"), ("1.5000", "1.5000"),
        // The rule as written: every dot before exactly three digits groups thousands, whatever precedes it.
        ("1234.567", "1234567"), ("0.500", "500"),
        // R$ in any case, with or without a space; spaces (the non-breaking one of formatted currency too) around.
        ("R$150", "150"), ("r$ 99,90", "99.90"), (" R$ 2.050,10 ", "2050.10"), ("R$\u00a01.500,00", "1500.00"),
        ("\t150,00\n", "150.00"),
        // Empty, junk and negative amounts are no price.
        (null, "NULL"), ("", "NULL"), ("   ", "NULL"), ("R$", "NULL"), ("R$ ", "NULL"), ("R$ --", "NULL"),
        ("abc", "NULL"), ("a combinar", "NULL"), ("cento e cinquenta", "NULL"), ("150 reais", "NULL"),
        ("1,2,3", "NULL"), ("1.2.3", "NULL"), ("1.500.00", "NULL"), ("12.34,56", "NULL"), ("1.234,5.6", "NULL"),
        ("150,", "NULL"), (",50", "NULL"), ("150.", "NULL"), (".5", "NULL"), ("R$ ,", "NULL"),
        ("1 500", "NULL"), ("1 500,00", "NULL"), ("R$ R$ 10", "NULL"), ("-150", "NULL"), ("R$ -1.500,00", "NULL"),
        ("1e3", "NULL"), ("NaN", "NULL"), ("Infinity", "NULL"), ("１５０", "NULL"),
        // Free text of any length: past 131,072 digits numeric overflows, which stopped every run (0007); over 1,000 characters is no price.
        (new string('9', 140_000), "NULL"), ("R$ " + new string('1', 999) + ",5", "NULL"), (new string('1', 1000), new string('1', 1000)),
    ];

    [Fact]
    public async Task Prices_read_the_comma_as_decimal_mark_dots_before_three_digits_as_thousands_and_junk_as_NULL()
    {
        await using var p = IsolatedPipeline.Lacrei();
        var migrate = await p.Engine("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());

        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(p.Sql($"""
            SELECT raw.ordinality, coalesce({"{staging2}"}.{Function}(raw.value)::text, 'NULL')
            FROM unnest($1::text[]) WITH ORDINALITY AS raw (value, ordinality)
            ORDER BY 1
            """), connection) { Parameters = { new() { Value = Prices.Select(c => c.Raw).ToArray() } } };
        var parsed = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) parsed.Add(reader.GetString(1));

        AssertRowsInOrder(Prices.Select(c => $"{Show(c.Raw)} → {c.Price}"), Prices.Select((c, i) => $"{Show(c.Raw)} → {parsed[i]}"));
    }

    [Fact]
    public async Task A_warehouse_built_with_the_old_parse_price_gets_the_new_prices_on_its_next_run()
    {
        await using var p = IsolatedPipeline.Lacrei();
        // The pipeline as an earlier version had it: no 0004 nor 0007, the clinic step calling 0002's parse_price.
        foreach (var migration in Migrations) File.Delete(Path.Combine(p.Dir, "pipelines", "lacrei", "migrations", migration));
        p.EditFile(ClinicStep, sql => sql.Replace(Function + "(", "parse_price("));
        await CreateSourceAsync(p);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at) VALUES (1, '2025-01-01', '2025-01-01');
            INSERT INTO {s}.lacreisaude_clinic (id, created_at, updated_at, professional_id, consult_price, online_clinic_consult_price) VALUES
                (1, '2025-01-01', '2025-01-01', 1, 'R$ 1.500', 'R$ 1.234,56');
            """);
        await RunOkAsync(p);
        AssertRowsInOrder(["1 | 1.500 | 1234.56"], await p.RowsAsync(Clinics));

        // This version: the new migration and the step that calls its function. Nothing in the source changed.
        foreach (var migration in Migrations)
            File.Copy(Repo.Path("pipelines", "lacrei", "migrations", migration), Path.Combine(p.Dir, "pipelines", "lacrei", "migrations", migration));
        File.Copy(Repo.Path(ClinicStep), Path.Combine(p.Dir, ClinicStep), overwrite: true);
        var upgrade = await RunOkAsync(p);

        Assert.Contains(("staging2.lacreisaude_clinic", "success", 1L), upgrade.Steps);
        AssertRowsInOrder(["1 | 1500 | 1234.56"], await p.RowsAsync(Clinics));
        AssertRowsInOrder([Function], await p.RowsAsync(
            "SELECT proname FROM pg_proc WHERE pronamespace = '{staging2}'::regnamespace AND proname LIKE 'parse\\_price%'"));
    }

    private static readonly string[] Migrations = ["0004_parse_price_brazilian.sql", "0007_parse_price_bounded.sql"];
    private static readonly string ClinicStep = Path.Combine("pipelines", "lacrei", "staging2", "lacreisaude_clinic.sql");
    private const string Clinics = "SELECT clinic_id, consult_price, online_consult_price FROM {model}.dim_lacreisaude_clinic ORDER BY 1";

    private static string Show(string? raw) => raw is null ? "NULL" : "'" + raw.Replace("\u00a0", "\\u00a0").Replace("\t", "\\t").Replace("\n", "\\n") + "'";
}
