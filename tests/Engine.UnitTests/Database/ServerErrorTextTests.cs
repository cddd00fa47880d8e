using Lacrei.Engine.Database;
using Lacrei.Engine.Execution;
using Npgsql;

namespace Lacrei.Engine.Tests.Database;

/// <summary>SPEC §9.6: a server error keeps its names and loses every row value before anything prints, stores or serves it.</summary>
public sealed class ServerErrorTextTests
{
    private static PostgresException Error(string sqlState, string message, string? detail = null, string? table = null, string? column = null,
        string? constraint = null, string? hint = null) =>
        new(message, "ERROR", "ERROR", sqlState, detail: detail, hint: hint, tableName: table, columnName: column, constraintName: constraint);

    [Fact]
    public void A_not_null_violation_keeps_column_and_table_and_drops_the_failing_row()
    {
        var text = ServerErrorText.Of(Error("23502", "null value in column \"ethnic_group\" of relation \"dim_patient\" violates not-null constraint",
            "Failing row contains (98712345, 2024-03-10, Homem trans, Bissexual, ele/dele, 55+).", table: "dim_patient", column: "ethnic_group"), "SELECT 1");

        Assert.Equal(("null value in column \"ethnic_group\" of relation \"dim_patient\" violates not-null constraint", "Failing row contains (…)."),
            (text.Message, text.Detail));
    }

    [Theory]
    [InlineData("Key (id)=(5) already exists.", "Key (id)=(…) already exists.")]
    [InlineData("Key (user_id, kind)=(7, a)b) is not present in table \"lacreiid_user\".", "Key (user_id, kind)=(…) is not present in table \"lacreiid_user\".")]
    [InlineData("Key (id)=(5)", "Key (id)=(…).")]
    [InlineData("Token \"Homem\" is invalid.", "Token \"…\" is invalid.")]
    [InlineData("view report depends on table orders", "view report depends on table orders")]
    public void Key_values_and_quoted_values_in_a_detail_are_dropped(string detail, string expected) =>
        Assert.Equal(expected, ServerErrorText.Of(Error("23505", "duplicate key value violates unique constraint \"x_pkey\"", detail, constraint: "x_pkey"), "SELECT 1").Detail);

    [Theory]
    [InlineData("invalid input syntax for type integer: \"Homem trans\"", "invalid input syntax for type integer: \"…\"")]
    [InlineData("invalid input syntax for type integer: \"abc\"", "invalid input syntax for type integer: \"…\"")]
    [InlineData("column \"gender\" does not exist", "column \"gender\" does not exist")]
    [InlineData("relation \"staging.users\" does not exist", "relation \"staging.users\" does not exist")]
    [InlineData("value \"123456789012\" is out of range for type integer", "value \"…\" is out of range for type integer")]
    public void A_quoted_text_in_the_message_stays_only_when_the_SQL_spells_it_as_a_name(string message, string expected) =>
        Assert.Equal(expected, ServerErrorText.Of(Error("22P02", message), "SELECT gender::int FROM staging.users").Message);

    [Fact]
    public void A_hint_keeps_the_names_it_suggests_and_loses_other_quoted_texts()
    {
        var text = ServerErrorText.Of(Error("42703", "column o.totl does not exist", hint: "Perhaps you meant to reference the column \"o.total\"."), "SELECT o.totl FROM orders AS o");
        var valued = ServerErrorText.Of(Error("P0001", "bad row", hint: "the value was \"Homem trans\""), "SELECT 1");

        Assert.Equal("Perhaps you meant to reference the column \"o.total\".", text.Hint);
        Assert.Equal("the value was \"…\"", valued.Hint);
    }

    [Fact]
    public void The_engines_own_errors_keep_their_detail()
    {
        var text = ServerErrorText.Of(Error("LP001", "the columns of the SELECT of staging.items no longer match", "missing from the SELECT: \"name\""), null);

        Assert.Equal("missing from the SELECT: \"name\"", text.Detail);
    }

    [Fact]
    public void Secret_vars_and_connection_strings_are_stored_as_stars()
    {
        var request = new RunRequest(Vars: ["key=abc", "timezone=UTC", "source=postgres://u:pw@h/db", "other=Host=h;Password=pw"]);

        Assert.Equal(["key=***", "timezone=UTC", "source=***", "other=***"], request.WithoutSecrets(["key"]).Vars.ToArray());
        Assert.Equal(["timezone=UTC"], request.WithoutSecrets(["key"]).StoredVars.ToArray());
    }
}
