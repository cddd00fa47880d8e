using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// SPEC §9.4 as an engine feature: <c>pseudonym_key:</c> names the environment variable, the
/// template function renders a call of the meta schema's function (never the key), and a run that
/// needs the key without a usable one is a configuration error that names the variable.
/// </summary>
public sealed class PseudonymTemplateTests
{
    private static TempPipeline Pipeline(string sql, string keyLine = "pseudonym_key: SHOP_PSEUDONYM_KEY\n") => TempPipeline.Create($$"""
        name: shop
        {{keyLine}}schemas:
          model: shop_model
          meta: shop_meta
        layers:
          - name: model
            steps:
              - name: people
                sql: model/people.sql
                materialize: upsert
                key: [person_id]
              - name: plain
                sql: model/plain.sql
                materialize: upsert
                key: [id]
        """, ("model/people.sql", sql), ("model/plain.sql", "SELECT 1 AS id"));

    private static readonly StepId People = new("model", "people");
    private static readonly StepId Plain = new("model", "plain");

    [Fact]
    public void Pseudonym_renders_the_hmac_of_entity_and_id_as_text_in_the_C_collation_with_the_meta_schemas_padded_keys_read_once()
    {
        using var pipeline = Pipeline("""SELECT {{ pseudonym "patient" "users.id" }} AS person_id FROM users""");
        var step = pipeline.Build().Steps[People];
        Assert.Contains("SELECT (left(encode(sha256((SELECT \"shop_meta\".lp_pseudonym_pad(true)) || sha256((SELECT \"shop_meta\".lp_pseudonym_pad(false)) || " +
                        "convert_to('patient:' || (users.id)::text, 'UTF8'))), 'hex'), 32) COLLATE \"C\") AS person_id FROM users", step.Sql);
        Assert.True(step.UsesPseudonyms);
        Assert.False(pipeline.Build().Steps[Plain].UsesPseudonyms);
    }

    [Fact]
    public void Pseudonym_without_pseudonym_key_in_pipeline_yaml_is_an_error_at_the_call()
    {
        using var pipeline = Pipeline("""SELECT {{ pseudonym "patient" "id" }} AS person_id""", keyLine: "");
        var error = Assert.Single(pipeline.BuildErrors());
        Assert.Equal("pseudonym needs a key, and pipeline.yaml names none", error.Message);
        Assert.Equal((1, 11), (error.Span!.Line, error.Span.Column));
        Assert.Equal("add pseudonym_key: NAME_OF_AN_ENVIRONMENT_VARIABLE at the top level of pipeline.yaml", error.Hint);
    }

    [Fact]
    public void Pseudonym_entity_must_be_a_lower_case_name()
    {
        using var pipeline = Pipeline("""SELECT {{ pseudonym "Patient'); DROP TABLE x; --" "id" }} AS person_id""");
        Assert.Equal("pseudonym entity 'Patient'); DROP TABLE x; --' is not a lower-case name", Assert.Single(pipeline.BuildErrors()).Message);
    }

    [Fact]
    public void Pseudonym_key_must_name_an_environment_variable_not_hold_a_key()
    {
        using var pipeline = Pipeline("SELECT 1 AS person_id", keyLine: "pseudonym_key: 'my secret key of thirty-two bytes!!'\n");
        var error = Assert.Single(pipeline.LoadErrors());
        Assert.Equal("pseudonym_key: 'my secret key of thirty-two bytes!!' is not the name of an environment variable", error.Message);
    }

    [Fact]
    public void A_run_that_needs_the_key_without_it_is_a_configuration_error_naming_the_variable()
    {
        using var pipeline = Pipeline("""SELECT {{ pseudonym "patient" "1" }} AS person_id""");
        var workspace = pipeline.Build();
        var error = Assert.Throws<PipelineException>(() => workspace.PseudonymKeyFor([People], _ => null));
        Assert.Equal(ErrorKind.Config, error.Kind);
        Assert.Equal("the pseudonym key is not set: environment variable SHOP_PSEUDONYM_KEY is empty or unset", error.Diagnostics[0].Message);
        Assert.Equal(2, error.Diagnostics[0].Span!.Line);
    }

    [Fact]
    public void A_key_shorter_than_32_bytes_is_refused_and_its_value_is_not_shown()
    {
        using var pipeline = Pipeline("""SELECT {{ pseudonym "patient" "1" }} AS person_id""");
        var error = Assert.Throws<PipelineException>(() => pipeline.Build().PseudonymKeyFor([People], _ => "short-secret-value"));
        Assert.Equal("the pseudonym key in SHOP_PSEUDONYM_KEY is 18 bytes long; it must be at least 32", error.Diagnostics[0].Message);
        Assert.DoesNotContain("short-secret-value", ErrorFormatter.Format(error));
    }

    [Fact]
    public void A_selection_without_pseudonyms_needs_no_key_and_a_good_key_never_prints()
    {
        using var pipeline = Pipeline("""SELECT {{ pseudonym "patient" "1" }} AS person_id""");
        var workspace = pipeline.Build();
        Assert.Null(workspace.PseudonymKeyFor([Plain], _ => null));
        var key = workspace.PseudonymKeyFor([People, Plain], _ => "a key of exactly thirty-two bytes");
        Assert.Equal("[pseudonym key]", key!.ToString());
        Assert.Equal("[pseudonym key]", $"{key}");
    }

    /// <summary>
    /// What the meta schema keeps to tell keys apart (docs/operations.md): HMAC-SHA256 of a fixed
    /// text cut to 32 hex characters, a pseudonym like any other, the same for the same key and
    /// another for another key (a trailing newline from a secret file included).
    /// </summary>
    [Fact]
    public void The_key_s_fingerprint_is_the_hmac_of_a_fixed_text_and_tells_keys_apart()
    {
        using var pipeline = Pipeline("""SELECT {{ pseudonym "patient" "1" }} AS person_id""");
        var workspace = pipeline.Build();
        const string secret = "a key of exactly thirty-two bytes";
        var fingerprint = workspace.PseudonymKeyFor([People], _ => secret)!.Fingerprint;
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(secret), System.Text.Encoding.UTF8.GetBytes("lacrei-pipeline:key-fingerprint")))[..32];
        Assert.Equal(expected, fingerprint);
        Assert.Equal(fingerprint, workspace.PseudonymKeyFor([People], _ => secret)!.Fingerprint);
        Assert.NotEqual(fingerprint, workspace.PseudonymKeyFor([People], _ => secret + "\n")!.Fingerprint);
    }
}
