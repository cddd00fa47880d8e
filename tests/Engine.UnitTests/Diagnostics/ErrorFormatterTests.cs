using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Tests.Diagnostics;

/// <summary>STYLE "How an error looks, everywhere": file(line,col): error: message, the line with a caret, the hint.</summary>
public sealed class ErrorFormatterTests
{
    private static readonly string[] Patients =
    [
        "-- Grain: one row per month and group.",
        "SELECT",
        "    p.period_month,",
        "    p.age_group,",
        "    count(*) AS total_patients",
        "FROM {{ ref \"model.dim_lacreisaude_patient\" }} AS p",
        "FROM {{ schemas.marts }}.patients",
        "",
        "", "", "",
        "\tWHERE x",
    ];

    private static string Format(Diagnostic diagnostic) =>
        ErrorFormatter.Format(diagnostic, file => file == "mart/patients.sql" ? Patients : null);

    [Fact]
    public void Error_shows_location_line_caret_under_the_span_and_hint()
    {
        var text = Format(new Diagnostic(ErrorKind.Config, new SourceSpan("mart/patients.sql", 7, 17, 5), "unknown variable 'schemas.marts'", "did you mean 'mart'?"));

        Assert.Equal("""
            mart/patients.sql(7,17): error: unknown variable 'schemas.marts'
             7 | FROM {{ schemas.marts }}.patients
               |                 ^^^^^
              hint: did you mean 'mart'?
            """, text);
    }

    [Fact]
    public void Gutter_widens_with_the_line_number_and_tabs_become_one_space()
    {
        var text = Format(new Diagnostic(ErrorKind.Config, new SourceSpan("mart/patients.sql", 12, 2, 5), "unexpected WHERE"));

        Assert.Equal("""
            mart/patients.sql(12,2): error: unexpected WHERE
             12 |  WHERE x
                |  ^^^^^
            """, text);
    }

    [Fact]
    public void Caret_is_clipped_at_the_end_of_the_line()
    {
        var text = Format(new Diagnostic(ErrorKind.Config, new SourceSpan("mart/patients.sql", 2, 4, 40), "bad"));

        Assert.Equal("""
            mart/patients.sql(2,4): error: bad
             2 | SELECT
               |    ^^^
            """, text);
    }

    [Fact]
    public void Without_a_readable_file_only_location_message_and_hint_are_shown()
    {
        Assert.Equal("other.sql(3,1): error: bad\n  hint: fix it",
            Format(new Diagnostic(ErrorKind.Config, new SourceSpan("other.sql", 3, 1), "bad", "fix it")));
        Assert.Equal("mart/patients.sql(99,1): error: past the end",
            Format(new Diagnostic(ErrorKind.Config, new SourceSpan("mart/patients.sql", 99, 1), "past the end")));
    }

    [Fact]
    public void Without_a_span_the_error_stands_alone()
    {
        Assert.Equal("error: --only nope: no layer or step 'nope'\n  hint: did you mean 'mart'?",
            Format(new Diagnostic(ErrorKind.Usage, null, "--only nope: no layer or step 'nope'", "did you mean 'mart'?")));
    }

    [Fact]
    public void An_exception_formats_every_diagnostic()
    {
        var exception = new PipelineException(
        [
            new Diagnostic(ErrorKind.Usage, null, "first"),
            new Diagnostic(ErrorKind.Usage, null, "second", "hint two"),
        ]);

        Assert.Equal("error: first\nerror: second\n  hint: hint two", ErrorFormatter.Format(exception));
        Assert.Equal(ErrorKind.Usage, exception.Kind);
    }

    [Theory]
    [InlineData(ErrorKind.Usage, 2)]
    [InlineData(ErrorKind.Config, 2)]
    [InlineData(ErrorKind.Migration, 2)]
    [InlineData(ErrorKind.Connection, 2)]
    [InlineData(ErrorKind.Locked, 3)]
    public void Each_error_kind_has_its_exit_code(ErrorKind kind, int exitCode)
    {
        Assert.Equal(exitCode, ExitCodes.For(kind));
    }
}
