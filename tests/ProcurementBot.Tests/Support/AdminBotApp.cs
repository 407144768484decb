using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProcurementBot.Admin;

namespace ProcurementBot.Tests.Support;

/// <summary>The whole bot with an admin API key configured, recording admin changes.</summary>
public sealed class AdminBotApp : BotApp
{
    public const string AdminKey = "test-admin-key-9876543210";

    /// <summary>A chat admin (Admin:Users) by email.</summary>
    public const string AdminEmail = "procurement.ops@contoso.com";

    public RecordingChangeLog Changes { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Admin:ApiKeys:0", AdminKey), new("Admin:Users:0", AdminEmail)];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IAdminChangeLog>();
            services.AddSingleton<IAdminChangeLog>(Changes);
        });
    }

    public async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, string? key = AdminKey)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Content = body switch
        {
            null => null,
            HttpContent content => content,
            _ => JsonContent.Create(body),
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await CreateClient().SendAsync(request);
    }

    public async Task<JsonNode> AdminJsonAsync(HttpMethod method, string path, object? body = null)
    {
        var response = await AdminAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}

public sealed class RecordingChangeLog : IAdminChangeLog
{
    public ConcurrentQueue<(string Action, string Target, string? Details)> Entries { get; } = new();

    public Task RecordAsync(HttpContext http, string action, string target, string? details, CancellationToken cancellationToken)
    {
        Entries.Enqueue((action, target, details));
        return Task.CompletedTask;
    }
}
