using Lacrei.Engine.Config;

namespace Lacrei.Engine.Meta;

/// <summary>
/// A step's <c>indexes:</c>, <c>description:</c> and <c>columns:</c> descriptions as calls of
/// 0019_catalog_before_locks.sql: they look in the catalog first and lock the table only to
/// create or change something, so a run never queues behind autovacuum for what is already there.
/// </summary>
public static class CatalogCalls
{
    /// <summary>The index <paramref name="name"/> on <paramref name="table"/> (quoted), created when it is not there.</summary>
    public static string Index(Identifier meta, string table, string name, IEnumerable<string> columns) =>
        $"SELECT {meta.Quoted}.lp_index(p_table => {SqlText.Literal(table)}, p_index => {SqlText.Literal(name)}, p_columns => {SqlText.TextArray(columns)});\n";

    /// <summary>Comments on a table or view (<paramref name="kind"/> TABLE or VIEW) and its columns, written where they differ.</summary>
    public static string Comments(Identifier meta, string kind, string table, string? comment, IReadOnlyList<(string Column, string Comment)> columns) =>
        $"SELECT {meta.Quoted}.lp_comments(p_kind => {SqlText.Literal(kind)}, p_table => {SqlText.Literal(table)}, " +
        $"p_comment => {(comment is null ? "NULL" : SqlText.Literal(comment))}, p_columns => {SqlText.TextArray(columns.Select(c => c.Column))}, " +
        $"p_column_comments => {SqlText.TextArray(columns.Select(c => c.Comment))});\n";
}
