using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Npgsql;
using Lacrei.Engine.Config;
using Lacrei.Engine.Meta;

namespace Lacrei.Engine.Tests.Privacy;

/// <summary>
/// The meta schema's HMAC-SHA256 and pseudonym functions (0014_pseudonyms.sql) agree with .NET's
/// HMACSHA256 (SPEC §9.4: left(hex(HMAC-SHA256(key, 'entity:id')), 32)), for keys shorter than,
/// as long as and longer than the 64-byte block, and refuse to hash without a key.
/// </summary>
public sealed class PseudonymFunctionTests : IAsyncLifetime
{
    private readonly IsolatedPipeline _pipeline = new(Repo.ShopFixture);

    public async Task InitializeAsync()
    {
        var migrate = await _pipeline.Engine("migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
    }

    public Task DisposeAsync() => _pipeline.DisposeAsync().AsTask();

    [Theory]
    [InlineData(1, "")]
    [InlineData(32, "patient:1")]
    [InlineData(63, "appointment:123456")]
    [InlineData(64, "report:42")]
    [InlineData(65, "cancellation:7")]
    [InlineData(131, "profile:99999999999")]
    public async Task Hmac_sha256_matches_dotnet(int keyLength, string message)
    {
        var key = RandomNumberGenerator.GetBytes(keyLength);
        var bytes = Encoding.UTF8.GetBytes(message);
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes)), await HmacAsync(key, bytes));
    }

    [Fact]
    public async Task Hmac_sha256_matches_dotnet_on_any_key_and_message() =>
        await Gen.Select(Gen.Byte.Array[1, 200], Gen.Byte.Array[0, 100]).SampleAsync(async sample =>
        {
            var (key, message) = sample;
            Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(key, message)), await HmacAsync(key, message));
        }, iter: 40);

    [Theory]
    [InlineData("a key of exactly thirty-two bytes")]
    [InlineData("a key longer than the sixty-four byte block of SHA-256, so HMAC hashes it first: ção")]
    public async Task Pseudonym_is_the_first_32_hex_characters_of_the_hmac_of_entity_and_id(string key)
    {
        await using var connection = await OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await UseKeyAsync(connection, key);
        await using var command = new NpgsqlCommand(
            _pipeline.Sql("SELECT {meta}.lp_pseudonym('patient', '1769'), {meta}.lp_pseudonym('appointment', 42::text), {meta}.lp_pseudonym('patient', NULL)"),
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(TestPseudonyms.Of("patient", 1769, key), reader.GetString(0));
        Assert.Equal(TestPseudonyms.Of("appointment", 42, key), reader.GetString(1));
        Assert.True(reader.IsDBNull(2));
    }

    [Fact]
    public async Task The_expression_a_template_renders_equals_lp_pseudonym_and_dotnet_for_any_id() =>
        // Any text id PostgreSQL can hold (no NUL, no lone surrogate), multi-byte characters included.
        await Gen.Select(Gen.String[Gen.Char['\u0001', '\uD7FF'], 0, 40], Gen.Int.Positive).SampleAsync(async sample =>
        {
            var (textId, intId) = sample;
            await using var connection = await OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await UseKeyAsync(connection, TestPseudonyms.Key);
            await using var command = new NpgsqlCommand(
                $"SELECT {Rendered("$1")}, {_pipeline.Sql("{meta}")}.lp_pseudonym('report', $1), {Rendered("$2")}, {Rendered("NULL::bigint")} " +
                $"FROM generate_series(1, 3)", connection)
            {
                Parameters = { new NpgsqlParameter { Value = textId }, new NpgsqlParameter { Value = intId } },
            };
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestPseudonyms.Key), Encoding.UTF8.GetBytes("report:" + textId)))[..32],
                    reader.GetString(0));
                Assert.Equal(reader.GetString(1), reader.GetString(0));
                Assert.Equal(TestPseudonyms.Of("report", intId, TestPseudonyms.Key), reader.GetString(2));
                Assert.True(reader.IsDBNull(3));
            }
        }, iter: 30);

    [Fact]
    public async Task The_expression_a_template_renders_without_a_key_is_an_error_not_a_hash_with_an_empty_key()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {Rendered("1")}", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
        Assert.Equal("LP014", error.SqlState);
    }

    /// <summary>What <c>{{ pseudonym "report" "…" }}</c> renders (Meta/Pseudonyms.cs).</summary>
    private string Rendered(string sourceId) =>
        new Pseudonyms(Identifier.Parse(_pipeline.Sql("{meta}").Trim('"'))).Call("report", sourceId);

    [Fact]
    public async Task Pseudonym_without_a_key_in_the_transaction_is_an_error_not_a_hash_with_an_empty_key()
    {
        await using var connection = await OpenAsync();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await UseKeyAsync(connection, TestPseudonyms.Key);
            await transaction.CommitAsync();
        }
        // The key was transaction-local: the next transaction of the same session has none.
        await using var command = new NpgsqlCommand(_pipeline.Sql("SELECT {meta}.lp_pseudonym('patient', '1')"), connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
        Assert.Equal("LP014", error.SqlState);
        Assert.Equal("no pseudonym key in this transaction", error.MessageText);
    }

    [Fact]
    public async Task A_key_shorter_than_32_bytes_is_refused()
    {
        await using var connection = await OpenAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => UseKeyAsync(connection, "thirty-one bytes is not enough!"));
        Assert.Equal("LP014", error.SqlState);
    }

    private async Task UseKeyAsync(NpgsqlConnection connection, string key)
    {
        await using var command = new NpgsqlCommand(_pipeline.Sql("SELECT {meta}.lp_use_pseudonym_key($1)"), connection)
        {
            Parameters = { new NpgsqlParameter { Value = key } },
        };
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> HmacAsync(byte[] key, byte[] message)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(_pipeline.Sql("SELECT encode({meta}.lp_hmac_sha256($1, $2), 'hex')"), connection)
        {
            Parameters = { new NpgsqlParameter { Value = key }, new NpgsqlParameter { Value = message } },
        };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
