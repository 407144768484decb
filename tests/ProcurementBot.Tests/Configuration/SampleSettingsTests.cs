using System.Reflection;
using ProcurementBot.Admin;
using ProcurementBot.BotFramework.Authentication;
using ProcurementBot.BotFramework.Pacing;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.Slack;
using ProcurementBot.Storage.Cosmos;
using ProcurementBot.TryIt;

namespace ProcurementBot.Tests.Configuration;

/// <summary>appsettings.sample.json documents every key the bot reads, and loads as ASP.NET Core configuration.</summary>
public sealed class SampleSettingsTests
{
    private static readonly IConfigurationRoot Sample = new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(NodeTools.RepoRoot, "appsettings.sample.json"), optional: false)
        .Build();

    public static TheoryData<string> KeysTheBotReads()
    {
        var keys = new TheoryData<string>
        {
            "Urls", "Storage:Provider", "Storage:RetentionDays", "Storage:Sqlite:ConnectionString", "Intake:ApiKeys:0", "Intake:DevelopmentApiKeys", "Admin:Users:0", "Admin:ApiKeys:0", "Admin:DevelopmentApiKeys",
            "MicrosoftAppType", "MicrosoftAppId", "MicrosoftAppPassword", "MicrosoftAppTenantId",
        };
        foreach (var key in OptionKeys(CheckInOptions.Section, typeof(CheckInOptions))
            .Concat(OptionKeys($"{CheckInOptions.Section}:WorkingHours", typeof(WorkingHoursOptions)))
            .Concat(OptionKeys(EscalationOptions.Section, typeof(EscalationOptions)))
            .Concat(OptionKeys(PacingOptions.Section, typeof(PacingOptions)))
            .Concat(OptionKeys(CosmosOptions.Section, typeof(CosmosOptions)))
            .Concat(OptionKeys(SlackOptions.Section, typeof(SlackOptions)))
            .Concat(OptionKeys(TryItOptions.Section, typeof(TryItOptions)))
            .Concat(OptionKeys($"{AdminOptions.Section}:Entra", typeof(AdminEntraOptions)))
            .Concat(OptionKeys(BotIdentityOptions.Section, typeof(BotIdentityOptions)).Where(k => !k.Contains(":MicrosoftApp", StringComparison.Ordinal))))
        {
            keys.Add(key);
        }

        return keys;
    }

    [Theory]
    [MemberData(nameof(KeysTheBotReads))]
    public void The_sample_documents_the_key(string key) =>
        // A key shown as null (off by default, e.g. Storage:RetentionDays) is documented too.
        Assert.True(Sample[key] is not null || Sample.AsEnumerable().Any(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)),
            $"appsettings.sample.json does not document '{key}'.");

    [Fact]
    public void The_sample_holds_no_secret_values()
    {
        Assert.Equal("", Sample["MicrosoftAppPassword"]);
        Assert.StartsWith("replace-with-", Sample["Intake:ApiKeys:0"], StringComparison.Ordinal);
        Assert.StartsWith("replace-with-", Sample["Admin:ApiKeys:0"], StringComparison.Ordinal);
        Assert.Contains("AccountKey=<key>;", Sample["Storage:Cosmos:ConnectionString"], StringComparison.Ordinal);
        Assert.Equal("", Sample["Slack:SigningSecret"]);
        Assert.Equal("", Sample["Slack:BotToken"]);
    }

    private static IEnumerable<string> OptionKeys(string section, Type options) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => $"{section}:{p.Name}");
}
