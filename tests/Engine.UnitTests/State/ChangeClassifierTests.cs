using Lacrei.Engine.Config;
using Lacrei.Engine.State;

namespace Lacrei.Engine.Tests.State;

/// <summary>SQLMesh's categories: what a modified step's change means for the steps downstream.</summary>
public sealed class ChangeClassifierTests
{
    private static readonly StepId Id = new("staging", "orders");

    private static ManifestStep Step(string[] key, params (string Name, string Type)[] columns) =>
        new(Id.ToString(), "staging", "orders", "upsert", key, [], [], "sql", "config", columns.Select(c => new ManifestColumn(c.Name, c.Type)).ToList());

    private static Classification Classify(ManifestStep before, ManifestStep now, string[] differs, params (string Name, string Type)[] columns) =>
        ChangeClassifier.Classify(before, now, new NodeChange(Id, StateStatus.Modified, differs),
            columns.Select(c => new ManifestColumn(c.Name, c.Type)).ToList(), null);

    private static readonly ManifestStep Before = Step(["order_id"], ("order_id", "bigint"), ("total", "numeric(12,2)"), ("status", "text"));

    [Fact]
    public void A_removed_column_is_breaking()
    {
        var result = Classify(Before, Before, ["sql"], ("order_id", "bigint"), ("total", "numeric(12,2)"));

        Assert.Equal(ChangeKind.Breaking, result.Kind);
        Assert.Equal(["column status removed"], result.Reasons);
    }

    [Fact]
    public void A_retyped_column_is_breaking_and_names_both_types()
    {
        var result = Classify(Before, Before, ["sql"], ("order_id", "bigint"), ("total", "numeric"), ("status", "text"));

        Assert.Equal(ChangeKind.Breaking, result.Kind);
        Assert.Equal(["column total retyped: numeric(12,2) → numeric"], result.Reasons);
    }

    [Fact]
    public void A_changed_key_is_breaking_even_when_only_the_configuration_changed()
    {
        var now = Step(["order_id", "status"], ("order_id", "bigint"), ("total", "numeric(12,2)"), ("status", "text"));

        var result = Classify(Before, now, ["config"], ("order_id", "bigint"), ("total", "numeric(12,2)"), ("status", "text"));

        Assert.Equal(ChangeKind.Breaking, result.Kind);
        Assert.Equal(["key changed: (order_id) → (order_id, status)"], result.Reasons);
    }

    [Fact]
    public void Only_added_columns_are_non_breaking()
    {
        var result = Classify(Before, Before, ["sql"], ("order_id", "bigint"), ("total", "numeric(12,2)"), ("status", "text"), ("total_cents", "bigint"));

        Assert.Equal(ChangeKind.NonBreaking, result.Kind);
        Assert.Equal(["column total_cents added"], result.Reasons);
    }

    [Fact]
    public void A_description_or_tag_change_is_non_breaking()
    {
        var result = Classify(Before, Before, ["config"], ("order_id", "bigint"), ("total", "numeric(12,2)"), ("status", "text"));

        Assert.Equal(ChangeKind.NonBreaking, result.Kind);
    }

    [Fact]
    public void Changed_SQL_with_the_same_columns_is_breaking_because_values_may_differ()
    {
        var result = Classify(Before, Before, ["sql"], ("order_id", "bigint"), ("total", "numeric(12,2)"), ("status", "text"));

        Assert.Equal(ChangeKind.Breaking, result.Kind);
        Assert.Contains("same columns", result.Reasons.Single());
    }

    [Fact]
    public void Without_the_columns_now_a_SQL_change_is_unknown_and_says_why()
    {
        var result = ChangeClassifier.Classify(Before, Before, new NodeChange(Id, StateStatus.Modified, ["sql"]), null, "no database configured");

        Assert.Equal(ChangeKind.Unknown, result.Kind);
        Assert.Equal(["no database configured"], result.Reasons);
    }

    [Fact]
    public void Names_without_types_compare_names_only()
    {
        var result = Classify(Before, Before, ["sql"], ("order_id", ""), ("total", ""), ("status", ""), ("region", ""));

        Assert.Equal(ChangeKind.NonBreaking, result.Kind);
        Assert.Equal(["column region added"], result.Reasons);
    }
}
