using Lacrei.Engine.Tests.Support;

namespace Lacrei.Engine.Tests.Templating;

/// <summary>A two-layer pipeline whose <c>mart/revenue.sql</c> each test writes.</summary>
internal static class TemplatePipeline
{
    public static TempPipeline Create(string revenueSql, string materialize = "script") => TempPipeline.Create($$"""
        name: shop
        vars:
          timezone: America/Sao_Paulo
        schemas:
          staging: shop_staging
          mart: shop_mart
        sources:
          app: { schema: lacreisaude-relacional }
        layers:
          - name: staging
            steps:
              - name: orders
                sql: staging/orders.sql
          - name: mart
            steps:
              - name: patients
                sql: mart/patients.sql
              - name: revenue
                sql: mart/revenue.sql
                table: revenue_daily
                materialize: {{materialize}}
                key: [id]
        """, ("staging/orders.sql", "SELECT 1 AS id"), ("mart/patients.sql", "SELECT 1 AS id"), ("mart/revenue.sql", revenueSql));
}
