using System.Collections.Immutable;

namespace Lacrei.Engine.Config;

/// <summary>
/// A var that is not a single text value: a list (<c>payment_methods: [credit_card, pix]</c>) or a
/// mapping (<c>thresholds: { a: 1 }</c>), whose items are text or, in turn, lists and mappings.
/// Templates loop over a list (<c>{{ for m in vars.payment_methods }}</c>) and read a mapping's
/// members (<c>{{ vars.thresholds.a }}</c>). Written in pipeline.yaml only: <c>--var</c> sets text vars.
/// </summary>
public abstract record VarValue
{
    /// <summary>"a list" or "a mapping", for messages.</summary>
    public abstract string Describe();
}

public sealed record TextVar(string Value) : VarValue
{
    public override string Describe() => "a text value";
}

public sealed record ListVar(ImmutableArray<VarValue> Items) : VarValue
{
    public override string Describe() => "a list";
}

public sealed record MapVar(ImmutableSortedDictionary<string, VarValue> Members) : VarValue
{
    public override string Describe() => "a mapping";
}
