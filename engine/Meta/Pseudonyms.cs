using Lacrei.Engine.Config;
using Npgsql;

namespace Lacrei.Engine.Meta;

/// <summary>
/// Keyed pseudonyms (0014_pseudonyms.sql, SPEC §9.4): the call a template's <c>pseudonym</c>
/// renders, and the statement that hands a step's transaction the key. The key travels only as a
/// bind parameter, so it is in no SQL text (rendered files, the run log, pg_stat_activity).
/// </summary>
public sealed class Pseudonyms(Identifier meta)
{
    /// <summary>
    /// The SQL expression for the pseudonym of <paramref name="sourceId"/> (a SQL expression) as
    /// <paramref name="entity"/>: the first 32 hex characters of HMAC-SHA256(key, 'entity:id')
    /// (RFC 2104: H(outer pad || H(inner pad || message))), as lp_pseudonym computes it, with each
    /// padded key read once per statement (0018_pseudonym_pads.sql). The id is cast to text, so
    /// integer and text ids give the pseudonym of their text; NULL stays NULL.
    /// <para>
    /// In the "C" collation: a key or index on pseudonyms is built by sorting them, and under a
    /// locale's collation every comparison goes through the C library (a fact's key at 1,000,000
    /// appointments: 1.03 s under C.UTF-8, 0.41 s in "C"; issue 21). Hex digits order alike in
    /// every collation and equality is byte equality in both, so nothing a query returns changes;
    /// compared with text of the database's collation, "C" is the one used.
    /// </para>
    /// </summary>
    public string Call(string entity, string sourceId) =>
        $"(left(encode(sha256((SELECT {meta.Quoted}.lp_pseudonym_pad(true)) || sha256((SELECT {meta.Quoted}.lp_pseudonym_pad(false)) || " +
        $"convert_to({SqlText.Literal(entity + ":")} || ({sourceId})::text, 'UTF8'))), 'hex'), 32) COLLATE \"C\")";

    /// <summary>Gives the transaction the key (transaction-local: it ends with the step).</summary>
    public NpgsqlCommand UseKey(PseudonymKey key, NpgsqlConnection connection, NpgsqlTransaction? transaction) =>
        new($"SELECT {meta.Quoted}.lp_use_pseudonym_key($1)", connection, transaction)
        {
            Parameters = { new NpgsqlParameter { Value = key.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
}
