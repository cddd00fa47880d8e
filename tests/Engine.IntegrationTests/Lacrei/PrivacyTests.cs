using Npgsql;
using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Privacy (SPEC §9.2 data minimisation, §9.6 LGPD): no personal column or value in the warehouse,
/// a BI role that reads the marts and nothing else, no published small cell.
/// </summary>
public sealed class PrivacyTests
{
    /// <summary>Column names that would hold a person's identity (PostgreSQL regex, case-insensitive).</summary>
    private const string PersonalColumnName =
        @"(^|_)(name|nome|first_name|last_name|full_name|social_name|email|e_mail|phone|telefone|celular|whatsapp|cpf|rg|"
        + @"document|document_number|documento|birth|birth_date|birthdate|dob|nascimento|data_nascimento|password|token|"
        + @"address|endereco|zip|zip_code|cep|photo|selfie|about_me)($|_)";

    /// <summary>Values that look like an e-mail, a phone number, a CPF, or the demo's fake identities and free texts.</summary>
    private static readonly (string What, string Pattern)[] PersonalValues = [
        ("e-mail", @"[[:alnum:]._%+-]+@[[:alnum:].-]+\.[[:alpha:]]{2,}"),
        ("phone", @"\+55|\(?\m[1-9][0-9]\)?\s?9?[0-9]{4}-[0-9]{4}\M"),
        ("CPF", @"\m[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}-?[0-9]{2}\M"),
        ("demo name", @"Pessoa [0-9]|Pessoa Profissional|[[:alpha:]]+ Teste$"),
        ("demo free text", @"Texto livre fictício|Motivo fictício|Comentário fictício|Rua Fictícia|Foto de Pessoa|pbkdf2|example\.org"),
    ];

    [Fact]
    public async Task No_column_of_staging2_model_or_mart_is_named_like_a_name_email_phone_CPF_document_or_birth_date()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        var schemas = string.Join(", ", new[] { "staging2", "model", "mart" }.Select(l => "'" + p.Schema(l).Trim('"') + "'"));
        Assert.True(await p.ScalarAsync<long>($"SELECT count(*) FROM information_schema.columns WHERE table_schema IN ({schemas})") > 100);
        AssertRowsInOrder([], await p.RowsAsync($"""
            SELECT table_schema || '.' || table_name || '.' || column_name
            FROM information_schema.columns
            WHERE table_schema IN ({schemas}) AND column_name ~* '{PersonalColumnName}'
              -- the privacy policy and terms a user accepted: a document of Lacrei's, not a person's
              AND column_name NOT IN ('privacy_document_id', 'accepted_privacy_document')
            ORDER BY 1
            """));
    }

    [Fact]
    public async Task No_value_in_staging1_staging2_model_or_mart_looks_like_an_email_phone_CPF_or_a_demo_name()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        // The patterns do find the personal data in the source, so a leak would be seen.
        var sourceHits = await HitsAsync(p, ["source:app"]);
        foreach (var (what, _) in PersonalValues) Assert.Contains(sourceHits, h => h.StartsWith(what + ":", StringComparison.Ordinal));

        AssertRowsInOrder([], await HitsAsync(p, Layers));
    }

    /// <summary>"what: schema.table.column: count, e.g. value" for every text column holding values that match a pattern.</summary>
    private static async Task<List<string>> HitsAsync(IsolatedPipeline p, IEnumerable<string> schemaKeys)
    {
        var schemas = string.Join(", ", schemaKeys.Select(k => "'" + p.Schema(k).Trim('"') + "'"));
        var columns = await p.RowsAsync($"""
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name), quote_ident(column_name)
            FROM information_schema.columns
            JOIN information_schema.tables USING (table_schema, table_name)
            WHERE table_schema IN ({schemas}) AND table_type = 'BASE TABLE'
              AND data_type IN ('text', 'character varying', 'character', 'ARRAY', 'json', 'jsonb')
            ORDER BY 1, 2
            """);
        Assert.NotEmpty(columns);
        var hits = new List<string>();
        foreach (var (what, pattern) in PersonalValues)
            foreach (var column in columns.Select(c => c.Split(" | ")))
            {
                var found = await p.RowsAsync($"""
                    SELECT count(*), min({column[1]}::text) FROM {column[0]} WHERE {column[1]}::text ~* '{pattern.Replace("'", "''")}'
                    """);
                if (found[0].Split(" | ") is [var count, var sample] && count != "0")
                    hits.Add($"{what}: {column[0]}.{column[1]}: {count} values, e.g. {sample}");
            }
        return hits;
    }

    [Fact]
    public async Task The_BI_role_reads_the_marts_and_is_denied_staging_model_seeds_meta_the_source_and_temporary_objects()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await RunOkAsync(p, vars: [BiTimeout]);

        var marts = await TablesAsync(p, "mart");
        Assert.Equal(4, marts.Count);
        foreach (var table in marts)
            Assert.Null(await AsBiRoleAsync(p, $"SELECT count(*) FROM {p.Sql(table)}"));

        var keys = new[] { "staging1", "staging2", "model", "seeds", "meta", "source:app" };
        var names = string.Join(", ", keys.Select(k => "'" + p.Schema(k).Trim('"') + "'"));
        var others = await p.RowsAsync($"""
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_schema IN ({names}) ORDER BY 1
            """);
        Assert.True(others.Count >= 16 + 17 + 7 + 5 + 16, string.Join("\n", others));
        var readable = new List<string>();
        foreach (var table in others)
            if (await AsBiRoleAsync(p, $"SELECT count(*) FROM {table}") is not "42501") readable.Add(table);
        AssertRowsInOrder([], readable);

        // --full-refresh recreates the marts: the role still reads them.
        await RunOkAsync(p, vars: [BiTimeout], args: ["run", "--json", "--full-refresh", "--only", "mart"]);
        foreach (var table in marts)
            Assert.Null(await AsBiRoleAsync(p, $"SELECT count(*) FROM {p.Sql(table)}"));

        // Read-only on the marts too.
        Assert.Equal("42501", await AsBiRoleAsync(p, p.Sql("DELETE FROM {mart}.patients")));
        Assert.Equal("42501", await AsBiRoleAsync(p, p.Sql("CREATE TABLE {mart}.bi_scratch (x int)")));

        // SPEC §9.6: no temporary objects (tables, nor functions in pg_temp), and a statement timeout,
        // logged in as the role (its settings apply to its own sessions).
        Assert.Equal("42501", await AsBiRoleAsync(p, "CREATE TEMP TABLE bi_scratch (x int)"));
        Assert.Equal("42501", await AsBiLoginAsync(p, "CREATE TEMP TABLE bi_scratch (x int)"));
        Assert.Equal("42501", await AsBiLoginAsync(p, "CREATE FUNCTION pg_temp.bi_scratch() RETURNS int LANGUAGE sql AS 'SELECT 1'"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("57014", await AsBiLoginAsync(p, "SELECT pg_sleep(120)"));
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 30);
        Assert.Null(await AsBiLoginAsync(p, p.Sql("SELECT count(*) FROM {mart}.patients")));
        Assert.Equal("42501", await AsBiLoginAsync(p, p.Sql("SELECT count(*) FROM {model}.dim_lacreisaude_patient")));
    }

    /// <summary>The BI role's statement timeout in these tests (the pipeline's default is 60s).</summary>
    private const string BiTimeout = "bi_statement_timeout=1s";

    /// <summary>Runs one statement in a session logged in as the BI role; returns null on success or the SQLSTATE of the error.</summary>
    private static async Task<string?> AsBiLoginAsync(IsolatedPipeline p, string sql)
    {
        var login = new NpgsqlConnectionStringBuilder(IsolatedPipeline.ConnectionString) { Username = p.BiRole, Password = null };
        await using var connection = new NpgsqlConnection(login.ConnectionString);
        await connection.OpenAsync();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 60 };
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    /// <summary>Runs one statement as the BI role; returns null on success or the SQLSTATE of the error.</summary>
    private static async Task<string?> AsBiRoleAsync(IsolatedPipeline p, string sql)
    {
        await using var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var role = new NpgsqlCommand($"SET LOCAL ROLE \"{p.BiRole}\"", connection, transaction))
            await role.ExecuteNonQueryAsync();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
        finally
        {
            await transaction.RollbackAsync();
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(3)]
    public async Task No_published_cell_with_a_sensitive_value_is_below_min_cell_size_and_month_totals_equal_sign_ups(int k)
    {
        await using var p = SmallCellsPipeline();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p, target: k < 5 ? SmallCells : null, vars: [$"min_cell_size={k}"]);

        // Cells are published below the all-Suprimido level (otherwise the check below would be empty).
        Assert.True(await p.ScalarAsync<long>("SELECT count(*) FROM {mart}.patients WHERE gender_identity <> 'Suprimido'") > 0,
            "no published patients row keeps a gender identity");
        Assert.True(await p.ScalarAsync<long>("SELECT count(*) FROM {mart}.patient_disability WHERE disability_type <> 'Suprimido'") > 0,
            "no published patient_disability row keeps a disability type");
        AssertRowsInOrder([], await p.RowsAsync($"""
            SELECT period_month, age_group, gender_identity, sexual_orientation, pronoun, total_patients
            FROM {"{mart}"}.patients
            WHERE total_patients < {k}
              AND (age_group <> 'Suprimido' OR gender_identity <> 'Suprimido' OR sexual_orientation <> 'Suprimido' OR pronoun <> 'Suprimido')
            """));
        AssertRowsInOrder([], await p.RowsAsync($"""
            SELECT period_month, disability_type, total_patients
            FROM {"{mart}"}.patient_disability
            WHERE total_patients < {k} AND disability_type <> 'Suprimido'
            """));

        // Counted from the source: users with a profile, by sign-up month in São Paulo.
        var signUps = await p.RowsAsync("""
            SELECT date_trunc('month', u.created_at AT TIME ZONE 'America/Sao_Paulo')::date, count(*)
            FROM {s}.lacreiid_user AS u
            WHERE EXISTS (SELECT FROM {s}.lacreiid_profile AS profile WHERE profile.user_id = u.id)
            GROUP BY 1 ORDER BY 1
            """);
        Assert.True(signUps.Count > 24, string.Join("\n", signUps));
        AssertRowsInOrder(signUps, await p.RowsAsync("SELECT period_month, sum(total_patients) FROM {mart}.patients GROUP BY 1 ORDER BY 1"));
    }
}
