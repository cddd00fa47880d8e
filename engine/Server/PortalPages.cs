using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Lacrei.Engine.Server;

/// <summary>
/// The portal's two pages as HTML. Every value that is not this file's own text is encoded.
/// No inline script or style: the Content-Security-Policy forbids both.
/// </summary>
internal static class PortalPages
{
    // Markup characters are encoded; accented letters stay readable (the page is UTF-8).
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static string E(string text) => Encoder.Encode(text);

    private static string Head(string title) => $"""
        <!doctype html>
        <html lang="pt-BR">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} · Lacrei Insights</title>
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/assets/portal.css">
        </head>
        """;

    private static string Csrf(string token) => $"""<input type="hidden" name="{PortalAuth.CsrfField}" value="{E(token)}">""";

    public static string Login(string csrf, string user, string? error)
    {
        var invalid = error is null ? "" : """ aria-invalid="true" aria-describedby="erro-login" """;
        var alert = error is null ? "" : $"""<p class="alert" role="alert" id="erro-login">{E(error)}</p>""";
        return $"""
            {Head("Entrar")}
            <body class="page-login">
            <main id="conteudo" class="card login-card">
              <h1><span class="brand-mark" aria-hidden="true"></span>Lacrei Insights</h1>
              <p class="lead">Entre para atualizar os dados dos painéis.</p>
              {alert}
              <form method="post" action="/login" class="stack">
                {Csrf(csrf)}
                <label for="usuario">Usuário</label>
                <input id="usuario" name="usuario" type="text" autocomplete="username" autocapitalize="none" spellcheck="false"
                       required maxlength="200" value="{E(user)}"{invalid}{(user.Length == 0 ? " autofocus" : "")}>
                <label for="senha">Senha</label>
                <input id="senha" name="senha" type="password" autocomplete="current-password" required maxlength="1024"{invalid}{(user.Length > 0 ? " autofocus" : "")}>
                <button type="submit" class="primary">Entrar</button>
              </form>
            </main>
            </body>
            </html>
            """;
    }

    public static string Dashboard(string user, IReadOnlyList<string> layers, string pipeline, string csrf)
    {
        var layerButtons = new StringBuilder();
        foreach (var layer in layers)
            layerButtons.Append($"""
                    <form method="post" action="/api/etl/run/{Uri.EscapeDataString(layer)}" data-run data-label="camada {E(layer)}">
                      {Csrf(csrf)}
                      <button type="submit" class="secondary" aria-describedby="dica-camadas">Camada {E(layer)}</button>
                    </form>

                """);
        return $"""
            {Head("Atualização de dados")}
            <body>
            <a class="skip" href="#conteudo">Pular para o conteúdo</a>
            <header class="topbar">
              <span class="brand"><span class="brand-mark" aria-hidden="true"></span>Lacrei Insights</span>
              <span class="who">Olá, {E(user)}</span>
              <form method="post" action="/logout">
                {Csrf(csrf)}
                <button type="submit" class="link">Sair</button>
              </form>
            </header>
            <main id="conteudo">
              <h1>Atualização de dados</h1>
              <p class="lead">Os painéis leem os dados que o pipeline <strong>{E(pipeline)}</strong> prepara.
                 Atualize tudo de uma vez, ou só uma camada.</p>

              <section class="card" aria-labelledby="t-atualizar">
                <h2 id="t-atualizar">Atualizar</h2>
                <form method="post" action="/api/etl/run" data-run data-label="todos os dados">
                  {Csrf(csrf)}
                  <button type="submit" class="primary big">Atualizar dados</button>
                </form>
                <p class="hint" id="dica-camadas">Uma camada sozinha só pode rodar depois que as anteriores já tiverem sido atualizadas alguma vez.</p>
                <div class="layers">
            {layerButtons}    </div>
                <p id="mensagem" class="message" role="status" aria-live="polite"></p>
              </section>

              <section class="card" id="progresso" aria-labelledby="t-progresso" hidden>
                <h2 id="t-progresso">Execução em andamento</h2>
                <p id="progresso-resumo" role="status" aria-live="polite"></p>
                <progress id="progresso-barra" max="1" value="0" aria-labelledby="t-progresso"></progress>
                <ol id="progresso-etapas" class="steps"></ol>
              </section>

              <section class="card" aria-labelledby="t-historico">
                <h2 id="t-historico">Histórico</h2>
                <div class="table-wrap" role="region" aria-labelledby="t-historico" tabindex="0">
                  <table id="historico">
                    <caption class="sr-only">Execuções recentes, da mais nova para a mais antiga</caption>
                    <thead>
                      <tr><th scope="col">Início</th><th scope="col">Seleção</th><th scope="col">Origem</th><th scope="col">Status</th>
                          <th scope="col">Duração</th><th scope="col">Linhas</th><th scope="col">Erros</th></tr>
                    </thead>
                    <tbody><tr><td colspan="7">Carregando…</td></tr></tbody>
                  </table>
                </div>
              </section>
              <noscript><p class="alert">O acompanhamento ao vivo e o histórico precisam de JavaScript.
                Os botões funcionam sem ele: depois de clicar, recarregue a página.</p></noscript>
            </main>
            <script src="/assets/portal.js" defer></script>
            </body>
            </html>
            """;
    }
}
