using System.Globalization;
using System.Text.Json;
using ProcurementBot.BotFramework;

namespace ProcurementBot.Tests.Support;

public sealed record CardValidation(
    int Index, bool Valid, string? Version, int SizeBytes, IReadOnlyList<string> ActionTypes, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

public sealed record CardValidationReport(bool Valid, IReadOnlyList<CardValidation> Cards);

/// <summary>Checks Adaptive Cards with the official JS renderer (tests/tools/validate-cards.mjs).</summary>
public static class AdaptiveCardValidator
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web);

    /// <summary>Fails the test, naming each invalid card and its errors, unless every card is valid.</summary>
    public static async Task AssertValidAsync(params object[] cards)
    {
        var report = await ValidateAsync(cards);
        if (report.Valid)
        {
            return;
        }

        var message = new StringBuilder("The Adaptive Cards renderer rejects these cards:");
        foreach (var card in report.Cards.Where(c => !c.Valid))
        {
            message.Append(CultureInfo.InvariantCulture, $"\n  card {card.Index} (version {card.Version}, {card.SizeBytes} bytes):");
            foreach (var error in card.Errors)
            {
                message.Append("\n    - ").Append(error);
            }
        }

        Assert.Fail(message.ToString());
    }

    /// <summary>
    /// The renderer's verdict per card. Cards are <see cref="JsonNode"/>s or objects serialised as the
    /// bot sends them (camelCase, nulls left out).
    /// </summary>
    public static async Task<CardValidationReport> ValidateAsync(params object[] cards)
    {
        var payload = new JsonArray([.. cards.Select(ToJson)]);
        var result = await NodeTools.RunScriptAsync("validate-cards.mjs", payload.ToJsonString());

        CardValidationReport? report = null;
        try
        {
            report = JsonSerializer.Deserialize<CardValidationReport>(result.Stdout, ReportJson);
        }
        catch (JsonException)
        {
            // Reported below with everything the script printed.
        }

        if (report is null || result.ExitCode is not (0 or 1) || report.Valid != (result.ExitCode == 0) || report.Cards.Count != cards.Length)
        {
            throw new InvalidOperationException(
                $"validate-cards.mjs failed (exit code {result.ExitCode}).\nstdout: {result.Stdout}\nstderr: {result.Stderr}");
        }

        return report;
    }

    public static JsonNode ToJson(object card) => card switch
    {
        JsonNode node => node.DeepClone(),
        string json => JsonNode.Parse(json)!,
        _ => JsonSerializer.SerializeToNode(card, card.GetType(), ProtocolJson.Options)!,
    };
}
