using Lacrei.Engine.Config;
using Lacrei.Engine.Graph;
using Lacrei.Engine.State;

namespace Lacrei.Engine.Tests.State;

/// <summary>A manifest's hashes name the code, not the target, and the comparison finds what changed.</summary>
public sealed class ManifestTests : IDisposable
{
    private readonly string _dir = Repo.CopyFixture(Repo.ShopFixture);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Manifest Build(string? target = null, params string[] vars)
    {
        var project = Project.Resolve(PipelineLoader.Load(Path.Combine(_dir, "pipeline.yaml")), new ProjectOptions(target, [.. vars]));
        return ManifestBuilder.Build(Workspace.Build(project, new RunContext(RunContext.NewRunId(), DateOnly.FromDateTime(DateTime.Today))),
            null, null, DateTimeOffset.UtcNow);
    }

    private void Edit(string relative, Func<string, string> edit)
    {
        var path = Path.Combine(_dir, relative);
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }

    [Fact]
    public void Hashes_do_not_depend_on_the_target_the_schemas_or_the_day()
    {
        var production = Build();
        var ci = Build("ci", "schemas.mart=mart_pr_42", "sources.shop.schema=shop_copy");

        Assert.Equal(production.Steps.Select(s => (s.Step, s.SqlHash, s.ConfigHash)), ci.Steps.Select(s => (s.Step, s.SqlHash, s.ConfigHash)));
        Assert.Equal("shop_mart", production.Target.Schemas["mart"]);
        Assert.Equal("mart_pr_42", ci.Target.Schemas["mart"]);
        Assert.Equal("ci", ci.Target.Name);
        Assert.Empty(StateDiff.Compare(production, ci).Changes);
    }

    [Fact]
    public void A_SQL_edit_modifies_that_step_only()
    {
        var before = Build();
        Edit("model/order_facts.sql", sql => sql.Replace("o.total,", "o.total * 2 AS total,"));

        var diff = StateDiff.Compare(before, Build());

        var change = Assert.Single(diff.Changes);
        Assert.Equal((new StepId("model", "order_facts"), StateStatus.Modified), (change.Node, change.Status));
        Assert.Equal(["sql"], change.Differs);
    }

    [Fact]
    public void A_description_edit_is_a_configuration_change_not_a_SQL_change()
    {
        var before = Build();
        Edit("pipeline.yaml", yaml => yaml.Replace("One row per order, with the customer's region.", "One row per order."));

        var change = Assert.Single(StateDiff.Compare(before, Build()).Changes);

        Assert.Equal(["config"], change.Differs);
    }

    [Fact]
    public void A_snapshots_hard_deletes_is_part_of_its_configuration()
    {
        File.WriteAllText(Path.Combine(_dir, "mart", "region_history.sql"), "SELECT c.customer_id, c.region FROM {{ ref \"staging.customers\" }} AS c\n");
        Edit("pipeline.yaml", yaml => yaml + "      - name: region_history\n        sql: mart/region_history.sql\n        materialize: snapshot\n        key: [customer_id]\n        check_cols: all\n");
        var before = Build();
        Edit("pipeline.yaml", yaml => yaml + "        hard_deletes: delete\n");

        var change = Assert.Single(StateDiff.Compare(before, Build()).Changes);

        Assert.Equal((new StepId("mart", "region_history"), StateStatus.Modified), (change.Node, change.Status));
        Assert.Contains("config", change.Differs);
    }

    [Fact]
    public void A_seed_edit_modifies_the_seed_and_a_new_step_is_new()
    {
        var before = Build();
        Edit("seeds/order_statuses.csv", csv => csv + "shipped,completed\n");
        File.WriteAllText(Path.Combine(_dir, "mart", "orders_per_status.sql"), "SELECT status, count(*) AS orders FROM {{ ref \"model.order_facts\" }} GROUP BY status\n");
        Edit("pipeline.yaml", yaml => yaml + "      - name: orders_per_status\n        sql: mart/orders_per_status.sql\n        materialize: replace\n        key: [status]\n");

        var sets = StateDiff.Compare(before, Build()).Sets;

        Assert.Equal([new StepId("seeds", "order_statuses")], sets.Modified);
        Assert.Equal([new StepId("mart", "orders_per_status")], sets.New);
    }

    [Fact]
    public void A_manifest_survives_its_file()
    {
        var manifest = Build("ci");
        var dir = Path.Combine(_dir, "state");

        ManifestFile.Write(dir, manifest);
        var read = ManifestFile.Read(dir, "state");

        Assert.Equal(manifest.Steps.Select(s => (s.Step, s.SqlHash, s.ConfigHash, string.Join(",", s.Key))),
            read.Steps.Select(s => (s.Step, s.SqlHash, s.ConfigHash, string.Join(",", s.Key))));
        Assert.Equal(manifest.Target.Schemas, read.Target.Schemas);
    }
}
