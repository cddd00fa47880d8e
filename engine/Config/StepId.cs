namespace Lacrei.Engine.Config;

/// <summary>How a step is addressed everywhere: <c>layer.step</c> (<c>mart.patients</c>).</summary>
public readonly record struct StepId(string Layer, string Name) : IComparable<StepId>
{
    /// <summary>The layer name under which seeds are addressed (<c>seeds.states</c>); no pipeline layer may take it.</summary>
    public const string SeedsLayer = "seeds";

    public bool IsSeed => Layer == SeedsLayer;

    public override string ToString() => $"{Layer}.{Name}";

    public static bool TryParse(string text, out StepId id)
    {
        var dot = text.IndexOf('.');
        id = default;
        if (dot <= 0 || dot == text.Length - 1 || text.IndexOf('.', dot + 1) >= 0) return false;
        id = new StepId(text[..dot], text[(dot + 1)..]);
        return true;
    }

    public int CompareTo(StepId other) => string.CompareOrdinal(ToString(), other.ToString());
}
