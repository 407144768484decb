using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ProcurementBot.Escalations;
using ProcurementBot.Http;
using ProcurementBot.People;
using ProcurementBot.Storage;

namespace ProcurementBot.TryIt;

/// <summary>
/// The page (<c>GET /</c>, with a strict Content-Security-Policy), its script, style and the Web Chat bundle from
/// npm, and two helpers: a session (the two panes' Direct Line tokens; the procurement pane registered for
/// escalations of <see cref="Category"/>) and a simulated delivery, posted to <c>/api/purchases</c> by the
/// server with the configured intake key, which the page never sees.
/// </summary>
internal static class TryItEndpoints
{
    public const string IntakeClient = "TryItIntake";
    public const string Category = "Try it";

    private const string EmptyStyleHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    private const string WebChatScript = "TryIt/webchat/node_modules/botframework-webchat/dist/webchat.js";

    public static void MapTryItPage(this RouteGroupBuilder app)
    {
        app.MapGet("/", Page);
        app.MapGet("/try-it/try-it.js", () => Asset("try-it.js", "text/javascript"));
        app.MapGet("/try-it/try-it.css", () => Asset("try-it.css", "text/css"));
        app.MapGet("/try-it/webchat.js", (IWebHostEnvironment environment) =>
        {
            var file = Path.Combine(environment.ContentRootPath, WebChatScript);
            return File.Exists(file)
                ? Results.File(file, "text/javascript")
                : Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Web Chat is not installed",
                    detail: "The build installs it with npm ci in bot/TryIt/webchat; install Node.js with npm and build again.");
        });
        app.MapPost("/try-it/session", StartSessionAsync);
        app.MapPost("/try-it/purchases", SimulatePurchaseAsync);
    }

    private static IResult Page(HttpContext context)
    {
        // Web Chat writes its styles at run time: they carry this nonce, and nothing else inline is allowed but an
        // empty <style> element (the hash of ""), which one of its parts adds without the nonce and fills through the CSSOM.
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{nonce}' '{EmptyStyleHash}'; img-src 'self' data: blob:; font-src 'self' data:; " +
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = Read("index.html").Replace("{{nonce}}", nonce, StringComparison.Ordinal);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static IResult Asset(string name, string contentType) => Results.Text(Read(name), contentType + "; charset=utf-8");

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"try-it/{name}")
            ?? throw new InvalidOperationException($"The try-it page's {name} is not embedded in the bot.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Two panes: an employee's 1:1 chat, and the procurement channel for this page's escalations.</summary>
    private static async Task<IResult> StartSessionAsync(HttpRequest request, DirectLineConversations conversations, IProcurementStore store,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!IsJson(request))
        {
            return NeedsJson();
        }

        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var employee = conversations.Open($"employee-{tag}", "Alex (employee)", isChannel: false);
        var procurement = conversations.Open($"buyer-{tag}", "Sam (buyer)", isChannel: true);
        await store.SetEscalationDestinationAsync(new EscalationDestination
        {
            Category = Category,
            ChannelId = DirectLineConversations.ChannelId,
            ServiceUrl = DirectLineConversations.ServiceUrl,
            ConversationId = procurement.Id,
            Name = "Try it: procurement pane",
            RegisteredBy = "the try-it page",
            RegisteredAt = clock.GetUtcNow(),
        }, cancellationToken);
        return Results.Json(new { employee = Pane(employee), procurement = Pane(procurement) });

        static object Pane(DirectLineConversation c) => new { token = c.Token, userId = c.User.Id, userName = c.User.Name };
    }

    /// <summary>
    /// A purchase for the employee pane's person, delivered a day ago and due for its check-in now, sent
    /// through <c>POST /api/purchases</c> on this server's own loopback address with the first intake key (or development intake key).
    /// </summary>
    private static async Task<IResult> SimulatePurchaseAsync(HttpRequest request, DirectLineConversations conversations, PeopleDirectory people,
        IConfiguration configuration, IServer server, IHttpClientFactory httpClients, TimeProvider clock, ILogger<DirectLineConversations> logger,
        CancellationToken cancellationToken)
    {
        if (!IsJson(request))
        {
            return NeedsJson();
        }

        var header = request.Headers.Authorization.ToString();
        if (conversations.ByToken(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null) is not { IsChannel: false } employee)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Send the employee pane's token; reload the page.");
        }

        var person = await people.GetAsync(Person.MakeId(DirectLineConversations.ChannelId, employee.User.Id!), cancellationToken);
        if (person is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not connected yet", detail: "The employee's chat has not started yet; try again in a second.");
        }

        // The employee's address on this page: a fresh one, so a simulated purchase never reaches a real person.
        var email = $"{employee.User.Id}@try-it.example.com";
        if (person.Email != email)
        {
            await people.RecordContactAsync(person with { Email = email }, person, cancellationToken);
        }

        // A development key serves too: this call is made on loopback, straight to this server.
        var key = (configuration.GetSection("Intake:ApiKeys").Get<string[]>() ?? [])
            .Concat(configuration.GetSection("Intake:DevelopmentApiKeys").Get<string[]>() ?? [])
            .FirstOrDefault(k => !string.IsNullOrWhiteSpace(k));
        if (key is null || OwnAddress(server) is not { } self)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Cannot post a purchase",
                detail: key is null ? "Set Intake:ApiKeys or Intake:DevelopmentApiKeys (Development has local-dev-intake-key)." : "The server has no HTTP address to post to.");
        }

        var now = clock.GetUtcNow();
        var purchase = new
        {
            purchaseId = $"TRY-{now:yyyyMMdd}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3))}",
            requesterEmail = email,
            supplier = "Contoso Office Supply",
            category = Category,
            description = "ergonomic office chair",
            deliveredAt = now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture),
            checkInAt = now.ToString("O", CultureInfo.InvariantCulture),
            amount = 249.00m,
            currency = "EUR",
        };
        using var intake = new HttpRequestMessage(HttpMethod.Post, new Uri(self, "api/purchases")) { Content = JsonContent.Create(purchase) };
        intake.Headers.Add(ApiKeyFilter.Header, key);
        intake.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await httpClients.CreateClient(IntakeClient).SendAsync(intake, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("The try-it purchase was refused by /api/purchases with {Status}", (int)response.StatusCode);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The purchase was refused",
                detail: $"/api/purchases answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return Results.Json(new { purchase.purchaseId, purchase.supplier, purchase.description });
    }

    /// <summary>This server's own HTTP address on loopback (Kestrel's bound addresses, wildcards made loopback).</summary>
    private static Uri? OwnAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses.OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase)))
        {
            var normalized = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://[::1]", StringComparison.Ordinal)
                .Replace("://localhost", "://127.0.0.1", StringComparison.OrdinalIgnoreCase);
            if (Uri.TryCreate(normalized.TrimEnd('/') + "/", UriKind.Absolute, out var uri))
            {
                return uri;
            }
        }

        return null;
    }

    // A JSON body cannot come from a plain cross-site form: these helpers are for the page's own scripts.
    private static bool IsJson(HttpRequest request) =>
        request.GetTypedHeaders().ContentType?.MediaType.Value?.Equals("application/json", StringComparison.OrdinalIgnoreCase) == true;

    private static IResult NeedsJson() =>
        Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type", detail: "Send application/json.");
}
