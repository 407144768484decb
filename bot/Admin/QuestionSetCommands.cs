using System.Globalization;
using System.Text;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Storage;

namespace ProcurementBot.Admin;

/// <summary>
/// The admins' chat commands <c>questions</c> (the current sets) and <c>preview &lt;set id&gt;</c>; others
/// are politely refused. Says what to show; the channel adapter renders it.
/// </summary>
public sealed class QuestionSetCommands(IProcurementStore store, EscalationAdmins admins, TimeProvider clock)
{
    public const string Refusal = "Sorry, only procurement admins can see question sets. Say **help** to see what I can do for you.";

    /// <summary>The replies to a command of this feature, or null when the text is not one.</summary>
    public async Task<IReadOnlyList<Reply>?> TryHandleAsync(Person person, string? text, CancellationToken cancellationToken)
    {
        var words = (text ?? "").Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var command = words.Length == 0 ? "" : words[0].ToLowerInvariant();
        if (!(command == "questions" && words.Length == 1) && command != "preview")
        {
            return null;
        }

        if (!admins.IsAdmin(new Actor(person.Id, person.Name ?? person.UserId, person.AadObjectId, person.Email, person.TenantId)))
        {
            return [new TextReply(Refusal)];
        }

        return command == "questions"
            ? [await ListAsync(cancellationToken)]
            : words.Length == 1
                ? [new TextReply("Say **preview** and a set's id, for example **preview it-hardware**. Say **questions** to list the sets.")]
                : await PreviewAsync(words[1], cancellationToken);
    }

    private async Task<TextReply> ListAsync(CancellationToken cancellationToken)
    {
        var sets = await store.GetCurrentQuestionSetsAsync(cancellationToken);
        var text = new StringBuilder("Question sets in use:");
        foreach (var set in sets)
        {
            var applies = set.IsDefault ? "the default" : string.Join(", ", set.Categories);
            text.Append(CultureInfo.InvariantCulture, $"\n\n- **{set.Id}** v{set.Version}: {set.Name} ({set.Questions.Count} questions; {applies})");
        }

        text.Append("\n\nSay **preview** and a set's id to see its card.");
        return new TextReply(text.ToString(), [.. sets.Select(s => $"preview {s.Id}")]);
    }

    private async Task<IReadOnlyList<Reply>> PreviewAsync(string id, CancellationToken cancellationToken)
    {
        var versions = await store.GetQuestionSetVersionsAsync(id, cancellationToken);
        if (versions.Count == 0)
        {
            return [new TextReply($"There is no question set '{id}'. Say **questions** to list them.")];
        }

        var set = versions[^1];
        return
        [
            new TextReply($"**{set.Id}** v{set.Version} ({set.Name}) as employees see it, for a sample purchase:"),
            new QuestionSetPreviewReply(set.Id, set.Version, QuestionSetPreview.FirstCard(set, clock.GetUtcNow())),
        ];
    }
}
