using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// SPEC §6: a table written by anything but its step is recomputed on the next normal run. Hand
/// edits (DELETE, UPDATE, TRUNCATE) on a staging 2, a model and a mart table, in turn: with no
/// source change, the next run puts back exactly what was published before.
/// </summary>
public sealed class HandEditRepairTests
{
    private static readonly string[] Tables =
        ["{staging2}.address_state", "{model}.dim_lacreisaude_professional", "{mart}.professionals"];

    private static readonly string[] Edits =
    [
        "DELETE FROM {0} WHERE ctid IN (SELECT ctid FROM {0} LIMIT 100)",
        "UPDATE {0} SET {1} = NULL",
        "TRUNCATE {0}",
    ];

    private static readonly Dictionary<string, string> UpdatedColumn = new()
    {
        ["{staging2}.address_state"] = "uf", ["{model}.dim_lacreisaude_professional"] = "specialty", ["{mart}.professionals"] = "state",
    };

    [Fact]
    public async Task Delete_update_and_truncate_by_hand_are_each_repaired_by_the_next_normal_run()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);
        var published = await SnapshotAsync(p, Tables);

        for (var round = 0; round < Edits.Length; round++)
        {
            // Each table gets another kind of edit in each round.
            for (var t = 0; t < Tables.Length; t++)
                await p.ExecuteAsync(string.Format(Edits[(round + t) % Edits.Length], Tables[t], UpdatedColumn[Tables[t]]));
            Assert.NotEqual(published, await SnapshotAsync(p, Tables));

            var run = await RunOkAsync(p);

            AssertSameContent(published, await SnapshotAsync(p, Tables), $"round {round + 1}: published before vs after the repair run");
            Assert.All(Tables, t => Assert.Contains(run.Steps, s => s.Step == StepOf(t) && s.Status == "success"));
        }
    }

    private static string StepOf(string table) => table.Replace("{", "").Replace("}", "");
}
