using static Lacrei.Engine.Tests.LacreiInsights.LacreiFixture;

namespace Lacrei.Engine.Tests.LacreiInsights;

/// <summary>
/// Cleaning and normalisation of staging 2 (SPEC §9.3): status and modality synonyms, states to
/// UF, specialties, cities, prices, profile status; checked where they land (staging 2, the
/// model and the marts).
/// </summary>
public sealed class Staging2RulesTests
{
    /// <summary>Raw status as the application stores it → the status it must read as.</summary>
    private static readonly (string? Raw, string Status)[] Statuses = [
        (" Completed ", "completed"), ("COMPLETE", "completed"), ("concluded", "completed"),
        ("Concluída", "completed"), ("concluido", "completed"), ("REALIZADA", "completed"),
        ("realizado", "completed"), ("done", "completed"), ("Finished", "completed"),
        ("cancelled", "cancelled"), ("Canceled", "cancelled"), ("cancelada", "cancelled"),
        ("CANCELADO", "cancelled"), ("cancelled by patient", "cancelled"), ("Canceled-By-Patient", "cancelled"),
        ("cancelled_by_professional", "cancelled"), ("canceled  by   professional", "cancelled"),
        ("scheduled", "scheduled"), ("Agendada", "scheduled"), ("agendado", "scheduled"),
        ("confirmed", "scheduled"), ("confirmada", "scheduled"), ("Confirmado", "scheduled"),
        ("pending", "scheduled"), ("PENDENTE", "scheduled"),
        ("no-show", "no_show"), ("NoShow", "no_show"), ("faltou", "no_show"), ("Ausente", "no_show"),
        ("não compareceu", "no_show"),
        (null, "unknown"), ("", "unknown"), ("em andamento", "unknown"), ("???", "unknown"),
    ];

    /// <summary>Raw type → the modality it must read as.</summary>
    private static readonly (string? Raw, string Modality)[] Modalities = [
        ("Online", "online"), ("ONLINE ", "online"), ("teleconsulta", "online"), ("Telemedicina", "online"),
        ("virtual", "online"), ("remote", "online"), ("Remoto", "online"),
        ("presencial", "in_person"), ("Presencial ", "in_person"), ("in-person", "in_person"),
        ("in_person", "in_person"), ("InPerson", "in_person"), ("presential", "in_person"), ("consultório", "in_person"),
        (null, "unknown"), ("", "unknown"), ("híbrido", "unknown"),
    ];

    private static string Literal(string? text) => text is null ? "NULL" : "'" + text.Replace("'", "''") + "'";

    /// <summary>One appointment per raw value (ids 1, 2, …), all of professional 1 in September 2025.</summary>
    private static async Task<IsolatedPipeline> AppointmentsAsync(IEnumerable<(string? Status, string? Type)> rows)
    {
        var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        var values = rows.Select((r, i) =>
            $"({i + 1}, '2025-09-01 10:00-03', '2025-09-01 10:00-03', '2025-09-10 10:00-03', {Literal(r.Status)}, {Literal(r.Type)}, 1)");
        await p.SqlAsync($"""
            INSERT INTO {"{s}"}.lacreisaude_professional (id, created_at, updated_at, specialty) VALUES
                (1, '2025-01-01', '2025-01-01', 'Psicologia');
            INSERT INTO {"{s}"}.lacreiid_appointment (id, created_at, updated_at, date, status, type, professional_id) VALUES
                {string.Join(",\n", values)};
            """);
        return p;
    }

    [Fact]
    public async Task Every_status_spelling_maps_to_completed_cancelled_scheduled_or_no_show_and_anything_else_to_unknown()
    {
        await using var p = await AppointmentsAsync(Statuses.Select(s => (s.Raw, (string?)null)));
        await RunOkAsync(p);

        AssertRowsInOrder(Statuses.Select((s, i) => $"{i + 1} | {s.Status}"),
            await p.RowsWithSourceIdsAsync("SELECT appointment_id, status FROM {model}.fact_lacreisaude_appointments ORDER BY 1"));
        // 34 appointments: 9 completed, 8 cancelled, 8 scheduled, 5 no-shows, 4 unknown; no modality known.
        AssertRowsInOrder(["2025-09-01 | 1 | Psicologia | 34 | 9 | 8 | 5 | 0 | 0 | 0 | 0 | 0 | 0 | 26.47 | 23.53 | NULL | NULL | 9.00"],
            await p.RowsAsync(ProfessionalAppointments));
    }

    [Fact]
    public async Task Every_modality_spelling_maps_to_online_or_in_person_and_anything_else_to_unknown()
    {
        await using var p = await AppointmentsAsync(Modalities.Select(m => ((string?)"completed", m.Raw)));
        await RunOkAsync(p);

        AssertRowsInOrder(Modalities.Select((m, i) => $"{i + 1} | {m.Modality}"),
            await p.RowsWithSourceIdsAsync("SELECT appointment_id, modality FROM {model}.fact_lacreisaude_appointments ORDER BY 1"));
        AssertRowsInOrder(["2025-09-01 | 1 | Psicologia | 17 | 17 | 0 | 0 | 7 | 7 | 0 | 7 | 7 | 0 | 100.00 | 0.00 | 0.00 | 0.00 | 9.00"],
            await p.RowsAsync(ProfessionalAppointments));
    }

    [Fact]
    public async Task States_resolve_to_a_UF_by_code_accented_or_plain_name_odd_spacing_or_code_as_name_else_Nao_informado()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync("""
            INSERT INTO {s}.address_state (id, created_at, updated_at, name, code) VALUES
                (1,  '2020-01-01', '2020-01-01', 'Qualquer coisa',      ' sp '),  -- the code wins, trimmed, upper-cased
                (2,  '2020-01-01', '2020-01-01', 'Ceará',               NULL),    -- accented name
                (3,  '2020-01-01', '2020-01-01', 'ceara',               NULL),    -- unaccented name
                (4,  '2020-01-01', '2020-01-01', '  SAO   PAULO ',      NULL),    -- odd spacing and case
                (5,  '2020-01-01', '2020-01-01', 'Rio-Grande_do  Sul',  ''),      -- '-', '_' and spaces are one separator
                (6,  '2020-01-01', '2020-01-01', 'rj',                  NULL),    -- the code as the name
                (7,  '2020-01-01', '2020-01-01', 'Exterior',            NULL),    -- unknown
                (8,  '2020-01-01', '2020-01-01', NULL,                  NULL),    -- nothing
                (9,  '2020-01-01', '2020-01-01', 'Pará',                'XX'),    -- not a unit's code: the name decides
                (10, '2020-01-01', '2020-01-01', 'ESPÍRITO SANTO',      NULL),    -- upper-case accents
                (11, '2020-01-01', '2020-01-01', 'Mato Grosso do Sul',  NULL);    -- MS, not MT
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, state_id, specialty, profile_status, active, published) VALUES
                (1,  '2025-01-01', '2025-01-01', 1,    'Psicologia',            'approved',   true,  true),
                (2,  '2025-01-01', '2025-01-01', 2,    '  nutricao',            ' aprovado ', true,  false),
                (3,  '2025-01-01', '2025-01-01', 3,    'NUTRIÇÃO',              'Pendente',   false, false),
                (4,  '2025-01-01', '2025-01-01', 4,    'clinica   geral',       'approved',   NULL,  NULL),
                (5,  '2025-01-01', '2025-01-01', 5,    'acupuntura  CHINESA ',  'approved',   true,  true),
                (6,  '2025-01-01', '2025-01-01', 6,    '',                      '',           true,  true),
                (7,  '2025-01-01', '2025-01-01', 7,    NULL,                    NULL,         true,  true),
                (8,  '2025-01-01', '2025-01-01', 8,    'psiquiatria',           'approved',   true,  true),
                (9,  '2025-01-01', '2025-01-01', 9,    'Endocrinologia ',       'approved',   true,  true),
                (10, '2025-01-01', '2025-01-01', 10,   'infectologia',          'approved',   true,  true),
                (11, '2025-01-01', '2025-01-01', 11,   'DERMATOLOGIA',          'approved',   true,  true),
                (12, '2025-01-01', '2025-01-01', NULL, 'Fonoaudiologia',        'approved',   true,  true);
            """);
        await RunOkAsync(p);

        AssertRowsInOrder([
            "1 | SP", "2 | CE", "3 | CE", "4 | SP", "5 | RS", "6 | RJ", "7 | NULL", "8 | NULL", "9 | PA", "10 | ES", "11 | MS",
        ], await p.RowsAsync("SELECT id, uf FROM {staging2}.address_state ORDER BY id"));
        AssertRowsInOrder([
            "1 | Psicologia | SP | approved | t | t | 0 | NULL | 0 | NULL | t",
            "2 | Nutrição | CE | approved | t | f | 0 | NULL | 0 | NULL | t",
            "3 | Nutrição | CE | pending | f | f | 0 | NULL | 0 | NULL | t",
            "4 | Clínica Geral | SP | approved | NULL | NULL | 0 | NULL | 0 | NULL | t",
            "5 | Outra | RS | approved | t | t | 0 | NULL | 0 | NULL | t",   // no canonical name: never the text as typed
            "6 | Não informado | RJ | Não informado | t | t | 0 | NULL | 0 | NULL | t",
            "7 | Não informado | Não informado | Não informado | t | t | 0 | NULL | 0 | NULL | t",
            "8 | Psiquiatria | Não informado | approved | t | t | 0 | NULL | 0 | NULL | t",
            "9 | Endocrinologia | PA | approved | t | t | 0 | NULL | 0 | NULL | t",
            "10 | Infectologia | ES | approved | t | t | 0 | NULL | 0 | NULL | t",
            "11 | Dermatologia | MS | approved | t | t | 0 | NULL | 0 | NULL | t",
            "12 | Fonoaudiologia | Não informado | approved | t | t | 0 | NULL | 0 | NULL | t",
        ], await p.RowsAsync(Professionals));
    }

    [Fact]
    public async Task Prices_in_Brazilian_or_plain_format_are_parsed_and_empty_or_garbage_is_NULL_and_cities_are_trimmed()
    {
        await using var p = IsolatedPipeline.Lacrei();
        await CreateSourceAsync(p);
        await p.SqlAsync("""
            INSERT INTO {s}.address_state (id, created_at, updated_at, name, code) VALUES
                (1, '2020-01-01', '2020-01-01', 'Rio Grande do Sul', 'RS');
            INSERT INTO {s}.lacreisaude_professional (id, created_at, updated_at, state_id) VALUES
                (1, '2025-01-01', '2025-01-01', 1);
            INSERT INTO {s}.lacreisaude_clinic (id, created_at, updated_at, professional_id, state_id, is_presential_clinic, is_online_clinic,
                                                city, consult_price, online_clinic_consult_price) VALUES
                (1, '2025-01-01', '2025-01-01', 1, 1,    true, true, '  Porto   Alegre ', 'R$ 1.234,56', ' R$ 2.050,10 '),
                (2, '2025-01-01', '2025-01-01', 1, 1,    true, true, 'São Paulo',         '150,00',      'R$150'),
                (3, '2025-01-01', '2025-01-01', 1, NULL, true, true, '',                  '150.00',      '99,9'),
                (4, '2025-01-01', '2025-01-01', 1, NULL, true, true, NULL,                '150',         'R$ 1.500'),
                (5, '2025-01-01', '2025-01-01', 1, NULL, true, true, 'RECIFE',            '',            'a combinar'),
                (6, '2025-01-01', '2025-01-01', 1, NULL, true, true, 'Recife',            'R$ --',       'cento e cinquenta');
            """);
        await RunOkAsync(p);

        AssertRowsInOrder([
            "1 | Porto Alegre | RS | 1234.56 | 2050.10",
            "2 | São Paulo | RS | 150.00 | 150",
            "3 | NULL | NULL | 150.00 | 99.9",
            "4 | NULL | NULL | 150 | 1500",
            "5 | RECIFE | NULL | NULL | NULL",
            "6 | Recife | NULL | NULL | NULL",
        ], await p.RowsAsync("SELECT clinic_id, city, state, consult_price, online_consult_price FROM {model}.dim_lacreisaude_clinic ORDER BY 1"));
    }
}
