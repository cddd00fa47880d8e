using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Closed vocabularies in published text (SPEC §9.3): a specialty is one of the canonical names of
/// the specialties seed or 'Outra' (empty → NULL, read 'Não informado' in the marts); a profile
/// status is one of the known statuses of the profile_statuses seed, matched by normalised text,
/// or 'Outro'. Nothing a person typed freely reaches a mart: the privacy review found a name with
/// a board number as a specialty and a phone number in a profile status in mart.professionals.
/// </summary>
public sealed class ClosedVocabularyTests
{
    [Fact]
    public async Task A_specialty_or_profile_status_typed_freely_is_published_as_Outra_or_Outro_and_known_spellings_as_the_canonical_name()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync("""
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, specialty, profile_status) VALUES
                (1, '2025-01-01', '2025-01-01', 'Psicóloga Maria Silva CRP 06/123456', 'pendente - ligar (11) 98765-4321'),
                (2, '2025-01-01', '2025-01-01', '  nutricao',                          ' aprovado '),
                (3, '2025-01-01', '2025-01-01', 'NUTRIÇÃO',                            'Approved'),
                (4, '2025-01-01', '2025-01-01', 'Clinica  Geral',                      'em análise'),
                (5, '2025-01-01', '2025-01-01', 'Acupuntura',                          'Pendente'),
                (6, '2025-01-01', '2025-01-01', 'terapia   ocupacional',               'REJEITADO'),
                (7, '2025-01-01', '2025-01-01', '',                                    'inativo'),
                (8, '2025-01-01', '2025-01-01', NULL,                                  'blocked'),
                (9, '2025-01-01', '2025-01-01', '   ',                                 ''),
                (10, '2025-01-01', '2025-01-01', 'Psicologia',                         NULL);
            """);
        await RunOkAsync(p);

        AssertRowsInOrder([
            "1 | Outra | Outro",
            "2 | Nutrição | approved",
            "3 | Nutrição | approved",
            "4 | Clínica Geral | pending",
            "5 | Outra | pending",
            "6 | Terapia Ocupacional | rejected",
            "7 | Não informado | inactive",
            "8 | Não informado | blocked",
            "9 | Não informado | Não informado",
            "10 | Psicologia | Não informado",
        ], await p.RowsAsync("SELECT professional_id, specialty, profile_status FROM {mart}.professionals ORDER BY 1"));
        AssertRowsInOrder([
            "1 | Outra | Outro", "2 | Nutrição | approved", "3 | Nutrição | approved", "4 | Clínica Geral | pending",
            "5 | Outra | pending", "6 | Terapia Ocupacional | rejected", "7 | NULL | inactive", "8 | NULL | blocked",
            "9 | NULL | NULL", "10 | Psicologia | NULL",
        ], await p.RowsAsync("SELECT professional_id, specialty, profile_status FROM {model}.dim_lacreisaude_professional ORDER BY 1"));
    }

    [Fact]
    public async Task Over_the_demo_every_published_specialty_and_profile_status_comes_from_its_seed()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p, scale: 1);
        await RunOkAsync(p);

        const string FromSeeds = """
            SELECT 'specialty: ' || specialty FROM {mart}.professionals
            WHERE specialty NOT IN ('Outra', 'Não informado') AND specialty NOT IN (SELECT btrim(specialty) FROM {seeds}.specialties)
            UNION ALL
            SELECT 'specialty: ' || specialty FROM {mart}.professional_appointments
            WHERE specialty NOT IN ('Outra', 'Não informado', 'Suprimido') AND specialty NOT IN (SELECT btrim(specialty) FROM {seeds}.specialties)
            UNION ALL
            SELECT 'profile_status: ' || profile_status FROM {mart}.professionals
            WHERE profile_status NOT IN ('Outro', 'Não informado') AND profile_status NOT IN (SELECT status FROM {seeds}.profile_statuses)
            """;
        // The demo writes 'Acupuntura' (no canonical name) and 'em análise' (a synonym of pending).
        Assert.True(await p.ScalarAsync<long>("SELECT count(*) FROM {mart}.professionals WHERE specialty = 'Outra'") > 0);
        Assert.True(await p.ScalarAsync<long>("SELECT count(*) FROM {mart}.professionals WHERE profile_status = 'pending'") > 0);
        AssertRowsInOrder([], await p.RowsAsync(FromSeeds));
    }
}
