using Lacrei.Engine.Database;
using Lacrei.Engine.Diagnostics;
using Npgsql;

namespace Lacrei.Engine.Tests.Database;

/// <summary>SPEC §8: --connection, else DATABASE_URL (postgres://), else PG* variables; the password is never displayed.</summary>
public sealed class ConnectionSettingsTests
{
    private static ConnectionSettings Resolve(string? option, params (string Name, string Value)[] env) =>
        ConnectionSettings.Resolve(option, name => env.FirstOrDefault(e => e.Name == name).Value);

    [Fact]
    public void Postgres_url_gives_user_percent_encoded_password_host_port_database_and_sslmode()
    {
        var settings = Resolve("postgres://alice:p%40ss%3Aw0rd%2F@db.example.com:6543/warehouse?sslmode=require");

        var b = settings.Builder;
        Assert.Equal(("alice", "p@ss:w0rd/", "db.example.com", 6543, "warehouse", SslMode.Require),
            (b.Username, b.Password, b.Host, b.Port, b.Database, b.SslMode));
        Assert.Equal("alice@db.example.com:6543/warehouse", settings.Display);
    }

    [Fact]
    public void Postgresql_scheme_and_default_port_are_accepted()
    {
        var b = Resolve("postgresql://bob@localhost/lacrei").Builder;

        Assert.Equal(("bob", null, "localhost", 5432, "lacrei"), (b.Username, b.Password, b.Host, b.Port, b.Database));
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Sslmode_uses_libpq_spelling(string text, SslMode mode)
    {
        Assert.Equal(mode, Resolve($"postgres://u@h/d?sslmode={text}").Builder.SslMode);
    }

    [Fact]
    public void Unknown_sslmode_is_a_usage_error()
    {
        var error = Assert.Throws<PipelineException>(() => Resolve("postgres://u:pw@h/d?sslmode=bogus"));

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Contains("sslmode", error.Message);
        Assert.Contains("bogus", error.Message);
        Assert.DoesNotContain("pw", error.Message);
    }

    [Fact]
    public void Database_url_is_used_when_no_option_is_given()
    {
        var settings = Resolve(null, ("DATABASE_URL", "postgres://dave:secret@h2:5433/d2"), ("PGUSER", "carol"));

        Assert.Equal("dave@h2:5433/d2", settings.Display);
    }

    [Fact]
    public void The_option_wins_over_database_url()
    {
        var settings = Resolve("postgres://erin@h3/d3", ("DATABASE_URL", "postgres://dave@h2/d2"));

        Assert.Equal("erin@h3:5432/d3", settings.Display);
    }

    [Fact]
    public void Pg_variables_are_used_without_a_url()
    {
        var settings = Resolve(null, ("PGHOST", "pg.local"), ("PGPORT", "5433"), ("PGUSER", "carol"), ("PGPASSWORD", "s3cret"), ("PGDATABASE", "dw"));

        Assert.Equal(("s3cret", "carol@pg.local:5433/dw"), (settings.Builder.Password, settings.Display));
    }

    [Fact]
    public void Pg_database_defaults_to_the_user_and_host_to_localhost()
    {
        Assert.Equal("carol@localhost:5432/carol", Resolve(null, ("PGUSER", "carol")).Display);
    }

    [Fact]
    public void A_key_value_connection_string_is_accepted()
    {
        var settings = Resolve("Host=h;Port=5544;Username=u;Password=secret;Database=d");

        Assert.Equal("u@h:5544/d", settings.Display);
    }

    [Theory]
    [InlineData("postgres://alice:hunter2@db:5432/warehouse")]
    [InlineData("postgres://alice:hunter2@db/warehouse?sslmode=require")]
    [InlineData("Host=db;Username=alice;Password=hunter2;Database=warehouse")]
    public void Display_never_contains_the_password(string connection)
    {
        var settings = Resolve(connection);

        Assert.Equal("hunter2", settings.Builder.Password);
        Assert.DoesNotContain("hunter2", settings.Display);
        Assert.DoesNotContain("hunter2", settings.ToString());
    }

    [Fact]
    public void Neither_url_nor_connection_string_is_a_usage_error()
    {
        var error = Assert.Throws<PipelineException>(() => Resolve("not a url ;;"));

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Equal("for example DATABASE_URL=postgres://user@localhost:5432/warehouse", error.Diagnostics[0].Hint);
    }

    [Fact]
    public void Errors_are_detailed_and_the_application_is_named()
    {
        var b = Resolve("postgres://u@h/d").Builder;

        Assert.Equal(("lacrei-pipeline", true), (b.ApplicationName, b.IncludeErrorDetail));
    }

    [Fact]
    public void Libpq_url_parameters_are_mapped_to_the_connection()
    {
        var b = Resolve("postgres://u@h/d?options=-c%20statement_timeout%3D5s&connect_timeout=7&sslrootcert=%2Fetc%2Fca.pem" +
                        "&target_session_attrs=read-write&keepalives_idle=30&client_encoding=UTF8&application_name=etl").Builder;

        Assert.Equal(("-c statement_timeout=5s", 7, "/etc/ca.pem", "read-write", 30, "UTF8", "etl"),
            (b.Options, b.Timeout, b.RootCertificate, b.TargetSessionAttributes, b.TcpKeepAliveTime, b.ClientEncoding, b.ApplicationName));
    }

    [Fact]
    public void An_unknown_url_parameter_is_a_usage_error_with_the_nearest_name()
    {
        var error = Assert.Throws<PipelineException>(() => Resolve("postgres://u:pw@h/d?conect_timeout=5"));

        Assert.Equal(ErrorKind.Usage, error.Kind);
        Assert.Equal("the connection URL has an unknown parameter 'conect_timeout'", error.Message);
        Assert.Contains("connect_timeout", error.Diagnostics[0].Hint);
    }

    [Fact]
    public void A_libpq_parameter_the_engine_cannot_honour_is_refused_not_ignored()
    {
        var error = Assert.Throws<PipelineException>(() => Resolve("postgres://u@h/d?sslcrl=%2Fetc%2Fcrl.pem"));

        Assert.Equal("the connection parameter 'sslcrl' is not supported by this engine", error.Message);
    }

    [Theory]
    [InlineData("connect_timeout=soon", "the connection's connect_timeout 'soon' is not valid", "use a whole number from 0 to 1024")]
    [InlineData("port=99999", "the connection's port '99999' is not valid", "use a whole number from 1 to 65535")]
    [InlineData("target_session_attrs=writable", "the connection's target_session_attrs 'writable' is not valid",
        "use any, read-write, read-only, primary, standby or prefer-standby")]
    public void A_url_parameter_with_a_bad_value_says_what_it_takes(string query, string message, string hint)
    {
        var error = Assert.Throws<PipelineException>(() => Resolve("postgres://u@h/d?" + query));

        Assert.Equal((message, hint), (error.Message, error.Diagnostics[0].Hint));
    }
}
