using System.Reflection;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.UserSecrets;
using Microsoft.Extensions.FileProviders;

namespace ProcurementBot.Hosting;

public static class UserSecretsExtensions
{
    /// <summary>
    /// User secrets in every environment, not only Development as ASP.NET Core does by default: a developer runs the bot
    /// as Production for a sideloaded Teams app (so the repository's public development keys and the try-it page are off)
    /// with the app's password and real keys in user secrets. They rank where Development puts them: above the appsettings
    /// files, below environment variables and the command line. A machine without a secrets file reads nothing.
    /// </summary>
    public static WebApplicationBuilder AddUserSecretsInEveryEnvironment(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment()
            || typeof(UserSecretsExtensions).Assembly.GetCustomAttribute<UserSecretsIdAttribute>() is not { } id)
        {
            return builder;
        }

        var file = PathHelper.GetSecretsPathFromSecretsId(id.UserSecretsId);
        var directory = Path.GetDirectoryName(file);
        if (directory is null || !Directory.Exists(directory))
        {
            return builder;
        }

        var sources = builder.Configuration.Sources;
        var lastFile = sources.Select((source, index) => (source, index)).LastOrDefault(s => s.source is FileConfigurationSource);
        var secrets = new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(directory),
            Path = Path.GetFileName(file),
            Optional = true,
            ReloadOnChange = false,
        };
        sources.Insert(lastFile.source is null ? sources.Count : lastFile.index + 1, secrets);
        return builder;
    }
}
