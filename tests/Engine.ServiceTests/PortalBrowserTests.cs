using Lacrei.Engine.Config;
using Lacrei.Engine.Demo;
using Microsoft.Playwright;
using Npgsql;

namespace Lacrei.Engine.Tests;

/// <summary>
/// The portal in a real headless Chromium (Debian's, at /usr/bin/chromium; Playwright never
/// downloads one): log in, "Atualizar dados", live progress, the finished run in the history.
/// </summary>
public sealed class PortalBrowserTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string Artifacts = Repo.Path("tests", "Engine.ServiceTests", "artifacts");

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (scripts/test does it)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(Artifacts);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    [Fact]
    public async Task Atualizar_dados_shows_live_progress_and_the_finished_run_in_the_history()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        SlowStep.Add(pipeline, seconds: 2);
        await using var service = await Service.StartAsync(pipeline);
        var page = await NewPageAsync(service, 1280, 900);

        await LogInAsync(page, Credentials.User, Credentials.Password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Atualização de dados" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Atualizar dados" }).ClickAsync();

        var summary = page.Locator("#progresso-resumo");
        await Assertions.Expect(summary).ToContainTextAsync("Em andamento");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Atualizar dados" })).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#progresso-etapas li")).ToHaveCountAsync(6);
        await Assertions.Expect(summary).ToContainTextAsync("Concluída · 6 de 6 etapas", new() { Timeout = 30_000 });
        var latest = page.Locator("#historico tbody tr").First;
        await Assertions.Expect(latest).ToContainTextAsync("Concluída");
        await Assertions.Expect(latest).ToContainTextAsync("Portal ou API");
        await Assertions.Expect(latest).ToContainTextAsync("Tudo");
        await Assertions.Expect(page.Locator("#mensagem")).ToContainTextAsync("concluída");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Atualizar dados" })).ToBeEnabledAsync();
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "dashboard.png"), FullPage = true });

        // On a phone the page fits the screen's width: nothing scrolls sideways.
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#historico tbody tr").First).ToContainTextAsync("Concluída");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "dashboard-phone.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    /// <summary>
    /// The product as its users see it: the Lacrei pipeline on the demo's synthetic source, a
    /// finished "Atualizar dados". Saves the screenshot docs/service.md shows.
    /// </summary>
    [Fact]
    public async Task Atualizar_dados_runs_the_whole_Lacrei_pipeline_and_shows_every_step()
    {
        await using var pipeline = IsolatedPipeline.Lacrei();
        var project = Project.Resolve(PipelineLoader.Load(pipeline.YamlPath), new ProjectOptions(null, [.. pipeline.Overrides]));
        await using (var connection = new NpgsqlConnection(IsolatedPipeline.ConnectionString))
        {
            await connection.OpenAsync();
            await new DemoSource(project).CreateAsync(connection, project.Sources["app"].Schema, 1, CancellationToken.None);
        }
        var steps = project.Config.Steps.Count();
        // The source is read from the same database, where the demo data was just created.
        await using var service = await Service.StartAsync(pipeline, new Dictionary<string, string?> { ["LACREI_SOURCE_URL"] = null });
        var page = await NewPageAsync(service, 1280, 900);

        await LogInAsync(page, Credentials.User, Credentials.Password);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("lacrei-insights");
        await page.GetByRole(AriaRole.Button, new() { Name = "Atualizar dados" }).ClickAsync();

        await Assertions.Expect(page.Locator("#progresso-etapas li")).ToHaveCountAsync(steps);
        await Assertions.Expect(page.Locator("#progresso-resumo")).ToContainTextAsync($"Concluída · {steps} de {steps} etapas",
            new() { Timeout = 180_000 });
        var latest = page.Locator("#historico tbody tr").First;
        await Assertions.Expect(latest).ToContainTextAsync("Concluída");
        await Assertions.Expect(latest).ToContainTextAsync("Tudo");
        foreach (var layer in new[] { "staging1", "staging2", "model", "mart" })
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Camada {layer}", Exact = true })).ToBeVisibleAsync();
        await page.Mouse.MoveAsync(0, 0);
        await page.ScreenshotAsync(new() { Path = Repo.Path("docs", "screenshots", "dashboard.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_next_to_the_form()
    {
        await using var pipeline = new IsolatedPipeline(Repo.ShopFixture);
        await using var service = await Service.StartAsync(pipeline);
        var page = await NewPageAsync(service, 1280, 900);

        await LogInAsync(page, Credentials.User, "não é esta a senha");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Usuário ou senha incorretos.");
        await Assertions.Expect(page.GetByLabel("Senha")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("Usuário")).ToHaveValueAsync(Credentials.User);
        await Assertions.Expect(page).ToHaveURLAsync(new Uri(service.BaseAddress, "/login").ToString());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "login-error.png") });
        Assert.Empty(_consoleErrors);
    }

    private async Task<IPage> NewPageAsync(Service service, int width, int height)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = service.BaseAddress.ToString(), Locale = "pt-BR", TimezoneId = "America/Sao_Paulo",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        // A CSP violation or a script error shows up here: the page must have none.
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.Contains("401")) _consoleErrors.Add(message.Text); };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        return page;
    }

    private static async Task LogInAsync(IPage page, string user, string password)
    {
        await page.GotoAsync("/");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
        await page.GetByLabel("Usuário").FillAsync(user);
        await page.GetByLabel("Senha").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Entrar" }).ClickAsync();
    }
}
