using System.Collections.Immutable;
using Lacrei.Engine.Config;

namespace Lacrei.Engine.Meta;

/// <summary>
/// Who reads a step's change log, and what the log keeps (SPEC §9.6 erasure): the step's key and
/// the columns its readers name in <c>changes "layer.step" "column" …</c>, never a whole row.
/// </summary>
public sealed record ChangeLogReaders(ImmutableArray<StepId> Consumers, ImmutableArray<string> Columns);

/// <summary>
/// The row-level change logs of the meta schema (0006_changes.sql), as the C# side writes and
/// reads them: a tracked step's log, trimmed of what its readers consumed; each reader's cursor,
/// moved with its own rows; and the relation templates read as <c>changes</c>. Entries are
/// logged by the procedures in SQL only (lp_log_changes, and lp_delete: <see cref="Delete"/>),
/// holding the columns <see cref="KeepColumns"/> names (0013_change_logs_keys_only.sql), and each
/// is deleted by the step that reads it last (<see cref="MoveCursors"/>).
/// </summary>
public sealed class ChangeLogs(Identifier meta)
{
    private string Changes => $"{meta.Quoted}.changes";
    private string Logs => $"{meta.Quoted}.change_logs";
    private string Cursors => $"{meta.Quoted}.change_cursors";

    /// <summary>
    /// The rule behind LP003 on the C# side: a step's changes can be tracked only when it has a key
    /// and the engine fills its table (templates refuse <c>changes</c> of any other step).
    /// </summary>
    public static bool CanTrack(StepConfig producer) => !producer.Key.IsEmpty && producer.Materialize is not (Materialization.Script or Materialization.View or Materialization.Snapshot);

    /// <summary>
    /// A tracked step first says which columns its log keeps (its key and the columns its readers
    /// name); a different set restarts the log, so no reader ever finds a column missing.
    /// </summary>
    public string KeepColumns(StepId producer, IEnumerable<string> columns) =>
        $"SELECT {meta.Quoted}.lp_change_log_columns(p_step => {Literal(producer)}, p_columns => {SqlText.TextArray(columns)})";

    /// <summary>Drops the part of a log that every step reading it has read.</summary>
    public string ForgetConsumed(StepId producer, IReadOnlyCollection<StepId> consumers) =>
        $"DELETE FROM {Changes} AS c WHERE c.step = {Literal(producer)} AND c.seq <= " +
        $"(SELECT min(k.consumed) FROM {Cursors} AS k WHERE k.producer = {Literal(producer)} " +
        $"AND k.consumer = ANY ({SqlText.TextArray(consumers.Select(c => c.ToString()))}) HAVING count(*) = {consumers.Count})";

    /// <summary>
    /// A full refresh of a tracked step logs nothing and restarts its log instead (through
    /// lp_start_change_log, 0013_privacy.sql): the readers refreshed in the same run recompute
    /// everything and read past the restart; any other reader finds its log restarted and
    /// recomputes everything on its next run. Logging every row of a rewritten table was the
    /// largest part of an in-place full refresh, for a log that no reader needs.
    /// </summary>
    public string Restart(StepId producer, IEnumerable<string> keys) =>
        $"SELECT {meta.Quoted}.lp_start_change_log(p_step => {Literal(producer)}, " +
        $"p_keys => {SqlText.TextArray(keys)}, p_restart => true)";

    /// <summary>
    /// The logs <paramref name="consumer"/> read are read up to here (or to their restart), with
    /// its rows; then what every reader of a log has read is deleted (SPEC §9.6: a normal run of
    /// the whole pipeline leaves no entry behind). An entry a reader not selected in this run has
    /// yet to read stays: it holds keys only, and is what lets that reader remove the person later.
    /// </summary>
    public string MoveCursors(StepId consumer, IReadOnlyDictionary<StepId, ChangeLogReaders> producers) =>
        $"INSERT INTO {Cursors} (consumer, producer, consumed)\n" +
        $"SELECT {Literal(consumer)}, p.step, greatest((SELECT max(c.seq) FROM {Changes} AS c WHERE c.step = p.step), l.start_seq, 0)\n" +
        $"FROM unnest({SqlText.TextArray(producers.Keys.Order().Select(p => p.ToString()))}) AS p(step) LEFT JOIN {Logs} AS l ON l.step = p.step\n" +
        "ON CONFLICT (consumer, producer) DO UPDATE SET consumed = EXCLUDED.consumed;\n" +
        string.Concat(producers.OrderBy(p => p.Key).Select(p => ForgetConsumed(p.Key, p.Value.Consumers) + ";\n"));

    /// <summary>
    /// After a run's last step, what every reader of each log has read goes: readers that ran side
    /// by side each moved their cursor before the other committed, so neither could see that both had read.
    /// </summary>
    public IEnumerable<string> ForgetAllConsumed(IReadOnlyDictionary<StepId, ChangeLogReaders> logs) =>
        logs.OrderBy(l => l.Key).Select(l => ForgetConsumed(l.Key, l.Value.Consumers));

    /// <summary>
    /// Whether a scoped step can go on from its last run: its table exists and, for every log it
    /// reads, the log is complete since the step last read it.
    /// </summary>
    public string ReadinessQuery(string table, StepId consumer, IReadOnlyCollection<StepId> producers) =>
        $"SELECT to_regclass({SqlText.Literal(table)}) IS NOT NULL AND NOT EXISTS (\n" +
        $"    SELECT 1 FROM unnest({SqlText.TextArray(producers.Select(p => p.ToString()))}) AS p(step)\n" +
        $"    LEFT JOIN {Logs} AS l ON l.step = p.step\n" +
        $"    LEFT JOIN {Cursors} AS k ON k.consumer = {Literal(consumer)} AND k.producer = p.step\n" +
        "    WHERE l.start_seq IS NULL OR k.consumed IS NULL OR k.consumed < l.start_seq)";

    /// <summary>
    /// <c>changes "layer.step" "column" …</c> as <paramref name="consumer"/> reads it: a relation
    /// with the producer's key and the named <paramref name="columns"/> holding, since the consumer
    /// last read its log, their old values for every row the producer changed or removed, and
    /// their current values for every key it changed or inserted. The current values are each
    /// key's latest logged new values (0026_change_after_images.sql), not a probe of the table.
    /// </summary>
    public string Relation(StepId consumer, StepId producer, string producerTable, IEnumerable<string> producerKey, IEnumerable<string> columns)
    {
        var (keys, read) = KeyAndColumns(producerKey, columns);
        var logged = Logged(consumer, producer, producerTable);
        // The key alone: every entry holds it (an insert's too), so the table need not be read.
        if (read.Count == keys.Count) return $"(SELECT {List("r", keys)} {logged})";
        return $"(SELECT {List("r", read)} {logged} AND NOT c.key_only " +
               $"UNION ALL SELECT {List("n", read)} FROM {Current(consumer, producer, producerTable, keys, read)} AS n)";
    }

    /// <summary>
    /// <c>changed "layer.step" "column" …</c>: <see cref="Relation"/> for the rows whose named
    /// columns changed only: inserted, removed, or logged with an old value of one of them that is
    /// not the current one. A row the producer rewrote for another column is left out, so a scope
    /// recomputes only what the columns it reads can have touched (a user who changed a flag the
    /// step does not read, say). The current values are read from the table here, by its key's
    /// index: compared with every logged row, the log's latest entries (a step-local relation of
    /// unknown size to the planner) were scanned once per logged row, 120 ms for 3,000 users.
    /// </summary>
    public string ChangedRelation(StepId consumer, StepId producer, string producerTable, IEnumerable<string> producerKey, IReadOnlyCollection<string> columns)
    {
        var (keys, read) = KeyAndColumns(producerKey, columns);
        var named = columns.Select(Identifier.Parse).ToList();
        var sameKey = string.Join(" AND ", keys.Select(k => $"t.{k.Quoted} = l.{k.Quoted}"));
        return $"(WITH lp_logged AS (SELECT c.key_only, {List("r", read)} {Logged(consumer, producer, producerTable)}), " +
               $"lp_moved AS (SELECT DISTINCT {List("l", keys)} FROM lp_logged AS l WHERE l.key_only OR NOT EXISTS " +
               $"(SELECT 1 FROM {producerTable} AS t WHERE {sameKey} AND ({List("t", named)}) IS NOT DISTINCT FROM ({List("l", named)}))) " +
               $"SELECT {List("l", read)} FROM lp_logged AS l WHERE NOT l.key_only AND ({List("l", keys)}) IN (SELECT {List("m", keys)} FROM lp_moved AS m) " +
               $"UNION ALL SELECT {List("t", read)} FROM {producerTable} AS t WHERE ({List("t", keys)}) IN (SELECT {List("m", keys)} FROM lp_moved AS m))";
    }

    /// <summary>
    /// The current values of every key logged since the consumer's cursor: its latest entry's new
    /// values, none when that entry is a delete (its new values NULL; the key comes from its old image).
    /// </summary>
    private string Current(StepId consumer, StepId producer, string producerTable, List<Identifier> keys, List<Identifier> read) =>
        $"(SELECT {List("latest", read)} FROM (SELECT DISTINCT ON ({List("a", keys)}) c.after IS NULL AS lp_gone, {List("a", read)} FROM {Changes} AS c " +
        $"CROSS JOIN LATERAL jsonb_populate_record(NULL::{producerTable}, coalesce(c.after, c.image)) AS a " +
        $"WHERE {Unread(consumer, producer)} ORDER BY {List("a", keys)}, c.seq DESC) AS latest WHERE NOT latest.lp_gone)";

    /// <summary>
    /// <c>before "layer.step" "column" …</c>: for every key the producer changed or removed since
    /// <paramref name="consumer"/> last read its log, the key and the named columns as they were
    /// then: the key's first entry after the consumer's cursor holds its image from before every
    /// later change. A key whose first entry is an insert did not exist then and is left out. The
    /// log describes the consumer's view only while nothing else writes the producer's table; a
    /// foreign write restarts it (0025_foreign_writes_restart_logs.sql).
    /// </summary>
    public string BeforeRelation(StepId consumer, StepId producer, string producerTable, IEnumerable<string> producerKey, IEnumerable<string> columns)
    {
        var (keys, read) = KeyAndColumns(producerKey, columns);
        return $"(SELECT {List("f", read)} FROM (SELECT DISTINCT ON ({List("r", keys)}) c.key_only, {List("r", read)} " +
               $"{Logged(consumer, producer, producerTable)} ORDER BY {List("r", keys)}, c.seq) AS f WHERE NOT f.key_only)";
    }

    /// <summary>The entries of the producer's log that <paramref name="consumer"/> has not read, each image as a row r of its table's type.</summary>
    private string Logged(StepId consumer, StepId producer, string producerTable) =>
        $"FROM {Changes} AS c CROSS JOIN LATERAL jsonb_populate_record(NULL::{producerTable}, c.image) AS r WHERE {Unread(consumer, producer)}";

    private string Unread(StepId consumer, StepId producer) =>
        $"c.step = {Literal(producer)} AND c.seq > coalesce((SELECT k.consumed FROM {Cursors} AS k " +
        $"WHERE k.consumer = {Literal(consumer)} AND k.producer = {Literal(producer)}), 0)";

    /// <summary>The producer's key, and what a reader reads of its log: the key, then the named columns not in it.</summary>
    private static (List<Identifier> Keys, List<Identifier> Read) KeyAndColumns(IEnumerable<string> producerKey, IEnumerable<string> columns)
    {
        var keys = producerKey.Select(Identifier.Parse).ToList();
        return (keys, keys.Concat(columns.Select(Identifier.Parse)).DistinctBy(c => c.Name).ToList());
    }

    private static string List(string alias, IEnumerable<Identifier> columns) => string.Join(", ", columns.Select(c => $"{alias}.{c.Quoted}"));

    /// <summary>
    /// A DELETE on a step's table (aliased t) through the meta schema's <c>lp_delete</c>, which logs
    /// the deleted rows' keys (and the log's columns) when the step is tracked; it answers with a <see cref="MetaAnswer"/>.
    /// </summary>
    public string Delete(StepId step, string delete, bool track) =>
        $"SELECT * FROM {meta.Quoted}.lp_delete(p_step => {Literal(step)}, p_delete => {SqlText.Literal(delete)}, p_track => {MaterializeCall.Bool(track)})";

    private static string Literal(StepId step) => SqlText.Literal(step.ToString());

}
