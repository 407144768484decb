using ProcurementBot.BotFramework;
using ProcurementBot.BotFramework.Authentication;
using ProcurementBot.Escalations;
using ProcurementBot.Http;

namespace ProcurementBot.TryIt;

public static class TryItExtensions
{
    /// <summary>The try-it page's local Direct Line channel: its conversations, its connector, its escalation pane.</summary>
    public static IServiceCollection AddTryIt(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        if (!TryItOptions.IsEnabled(configuration, environment))
        {
            return services;
        }

        services.AddSingleton<DirectLineConversations>();
        services.AddSingleton<WebChatEscalationAdapter>();
        services.AddSingleton<IEscalationAdapter>(sp => sp.GetRequiredService<WebChatEscalationAdapter>());
        // Innermost in the connector client: calls to the local service URL are answered in-process.
        services.AddHttpClient(BotFrameworkExtensions.ConnectorHttpClient)
            .AddHttpMessageHandler(sp => new DirectLineConnectorHandler(sp.GetRequiredService<DirectLineConversations>()));
        services.AddHttpClient(TryItEndpoints.IntakeClient);
        return services;
    }

    /// <summary><c>GET /</c>, the page's assets and helpers, and <c>/v3/directline</c>; nothing at all when disabled (404).</summary>
    public static IEndpointRouteBuilder MapTryIt(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        if (!TryItOptions.IsEnabled(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()))
        {
            return app;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TryItExtensions));
        logger.LogWarning("Try it is on: http(s)://<this host>/ serves a local chat page to direct requests from this machine (TryIt:Enabled)");
        // The local service URL never arrives in an authenticated activity; its calls never leave the process.
        services.GetRequiredService<TrustedServiceUrls>().Trust(DirectLineConversations.ServiceUrl);
        if (services.GetRequiredService<IBotRequestAuthenticator>().IsEnabled)
        {
            logger.LogWarning("Try it with MicrosoftAppId set: replies to the page still ask Entra ID for an app token (never sent anywhere)");
        }

        // A local page: other machines, and this one through a tunnel or proxy or under another host name, get 404 as if it were off.
        var group = app.MapGroup("").AddEndpointFilter(async (context, next) =>
            DirectLocalRequest.Is(context.HttpContext) ? await next(context) : Results.NotFound()).ExcludeFromDescription();
        group.MapTryItPage();
        group.MapDirectLine();
        return app;
    }
}
