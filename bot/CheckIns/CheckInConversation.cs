using Microsoft.Extensions.Options;
using ProcurementBot.People;
using ProcurementBot.QuestionSets;
using ProcurementBot.Storage;

namespace ProcurementBot.CheckIns;

/// <summary>
/// The employee's side of a check-in: answers on a card or typed one question at a time, and the
/// commands help, status, skip, stop, opt out and opt in. Answers are stored before anything is said.
/// </summary>
public sealed class CheckInConversation(
    IProcurementStore store,
    QuestionSetCatalog catalog,
    FinishedCheckIns finishes,
    PendingCheckIns pending,
    IOptions<CheckInOptions> options,
    TimeProvider clock,
    ILogger<CheckInConversation> logger)
{
    private static readonly CheckInStatus[] Pending =
        [CheckInStatus.InProgress, CheckInStatus.Sending, CheckInStatus.Scheduled, CheckInStatus.AwaitingContact];

    public async Task<IReadOnlyList<Reply>> HandleAsync(Turn turn, CancellationToken cancellationToken)
    {
        if (turn.Submission is { } submission)
        {
            return await HandleSubmissionAsync(turn, submission, cancellationToken);
        }

        var text = (turn.Text ?? "").Trim();
        switch (text.ToLowerInvariant())
        {
            case "help" or "?" or "hi" or "hello":
                return [new TextReply(BotText.Help)];
            case "status":
                return [await StatusAsync(turn.Person, cancellationToken)];
            case "opt out" or "optout" or "opt-out" or "unsubscribe":
                var skipped = await SetOptOutAsync(turn.Person, true, cancellationToken);
                return [new TextReply(BotText.OptedOutWith(skipped))];
            case "opt in" or "optin" or "opt-in" or "subscribe":
                var resumed = await SetOptOutAsync(turn.Person, false, cancellationToken);
                return [new TextReply(BotText.OptedInWith(resumed))];
        }

        var open = await OpenCheckInAsync(turn.Person, cancellationToken);
        if (open is null)
        {
            return [new TextReply(BotText.NothingOpen)];
        }

        return await UpdateAsync(open.Id, (checkIn, set) => ApplyTyped(checkIn, set, turn, text), cancellationToken, open, typedActivityKey: turn.ActivityKey);
    }

    /// <summary>Notes the message id of a card sent for a check-in, so it can be replaced by the summary.</summary>
    public Task RememberCardAsync(string checkInId, string messageId, CancellationToken cancellationToken) =>
        UpdateAsync(checkInId, (checkIn, _) => checkIn.CardMessageId == messageId
            ? new Outcome(null, [])
            : new Outcome(checkIn with { CardMessageId = messageId }, []), cancellationToken);

    private async Task<IReadOnlyList<Reply>> HandleSubmissionAsync(Turn turn, CardSubmission submission, CancellationToken cancellationToken)
    {
        if (submission.Action != CardSubmission.AnswerAction || string.IsNullOrEmpty(submission.CheckInId))
        {
            return [new TextReply(BotText.UnknownAction)];
        }

        var existing = await store.GetCheckInAsync(submission.CheckInId, cancellationToken);
        if (existing is null)
        {
            return [new TextReply(BotText.UnknownCheckIn)];
        }

        if (existing.PersonId != turn.Person.Id)
        {
            logger.LogWarning("Person {PersonId} submitted answers for check-in {CheckInId} sent to {OwnerId}", turn.Person.Id, existing.Id, existing.PersonId);
            return [new TextReply(BotText.NotYours)];
        }

        return await UpdateAsync(existing.Id, (checkIn, set) => ApplySubmission(checkIn, set, turn, submission), cancellationToken, existing);
    }

    private Outcome ApplySubmission(CheckIn checkIn, QuestionSet set, Turn turn, CardSubmission submission)
    {
        if (checkIn.HasApplied(turn.ActivityKey))
        {
            return new Outcome(null, AfterAnswer(checkIn, set, turn));
        }

        if (!checkIn.IsOpen)
        {
            return new Outcome(null, [new TextReply(checkIn.Status == CheckInStatus.Completed ? BotText.AlreadyAnswered : BotText.Closed)]);
        }

        var now = clock.GetUtcNow();
        var answers = checkIn.AnswersById().ToDictionary();
        var problems = new List<string>();

        // Walk the questions in order, so a follow-up is judged by the answers given on the same card.
        foreach (var question in set.Questions)
        {
            if (answers.ContainsKey(question.Id) || (question.ShowIf is { } when && !when.IsSatisfiedBy(answers)))
            {
                continue;
            }

            if (submission.Partial && !submission.Values.ContainsKey(question.Id))
            {
                // One click answers one question; the others stay open.
                continue;
            }

            if (!submission.Values.TryGetValue(question.Id, out var raw) || string.IsNullOrWhiteSpace(raw))
            {
                // A follow-up that just became visible is asked next, not reported as missing.
                var wasOnCard = submission.Values.ContainsKey(question.Id) || question.ShowIf is null;
                if (question.Required && wasOnCard)
                {
                    problems.Add(QuestionSetProgress.TextOf(question, checkIn.Purchase));
                }
                else if (!question.Required && wasOnCard)
                {
                    answers[question.Id] = Answer.Skip(question, now);
                }

                continue;
            }

            if (AnswerParser.Parse(question, raw) is { } parsed)
            {
                answers[question.Id] = Answer.Of(question, parsed, now);
            }
            else
            {
                problems.Add($"{QuestionSetProgress.TextOf(question, checkIn.Purchase)} ({AnswerParser.Expected(question)})");
            }
        }

        if (problems.Count > 0)
        {
            return new Outcome(null, [new TextReply(BotText.Missing(problems))]);
        }

        var updated = WithAnswers(checkIn, set, answers, now).WithApplied(turn.ActivityKey);
        return new Outcome(updated, AfterAnswer(updated, set, turn));
    }

    private Outcome ApplyTyped(CheckIn checkIn, QuestionSet set, Turn turn, string text)
    {
        if (checkIn.HasApplied(turn.ActivityKey))
        {
            return new Outcome(null, AfterAnswer(checkIn, set, turn));
        }

        if (!checkIn.IsOpen)
        {
            return new Outcome(null, [new TextReply(BotText.NothingOpen)]);
        }

        var now = clock.GetUtcNow();
        var answers = checkIn.AnswersById().ToDictionary();
        var question = QuestionSetProgress.Next(set, answers);
        if (question is null)
        {
            return new Outcome(WithAnswers(checkIn, set, answers, now).WithApplied(turn.ActivityKey), [new TextReply(BotText.Thanks(turn.Person.Name))]);
        }

        switch (text.ToLowerInvariant())
        {
            case "stop" or "cancel" or "quit":
                var stopped = checkIn with { Status = CheckInStatus.Stopped, CompletedAt = now };
                return new Outcome(stopped.WithApplied(turn.ActivityKey), [.. Summary(stopped, set, "Stopped"), new TextReply(BotText.Stopped)]);
            case "skip":
                if (question.Required)
                {
                    return new Outcome(null, [Prompt(checkIn, set, question, answers, BotText.CannotSkip)]);
                }

                answers[question.Id] = Answer.Skip(question, now);
                break;
            default:
                if (AnswerParser.Parse(question, text) is not { } parsed)
                {
                    return new Outcome(null, [Prompt(checkIn, set, question, answers, BotText.NotUnderstood(AnswerParser.Expected(question)))]);
                }

                answers[question.Id] = Answer.Of(question, parsed, now);
                break;
        }

        var updated = WithAnswers(checkIn, set, answers, now).WithApplied(turn.ActivityKey);
        return new Outcome(updated, AfterAnswer(updated, set, turn));
    }

    private static CheckIn WithAnswers(CheckIn checkIn, QuestionSet set, Dictionary<string, Answer> answers, DateTimeOffset now)
    {
        // Keep the set's order, and drop answers to follow-ups whose condition no longer holds.
        var visible = QuestionSetProgress.Visible(set, answers);
        var ordered = visible.Where(q => answers.ContainsKey(q.Id)).Select(q => answers[q.Id]).ToList();
        var complete = QuestionSetProgress.Next(set, answers) is null;
        return checkIn with
        {
            Answers = ordered,
            Status = complete ? CheckInStatus.Completed : checkIn.Status,
            CompletedAt = complete ? now : checkIn.CompletedAt,
        };
    }

    /// <summary>What to say once the stored state includes the answer (also on a retried activity).</summary>
    private static List<Reply> AfterAnswer(CheckIn checkIn, QuestionSet set, Turn turn)
    {
        if (checkIn.Status == CheckInStatus.Stopped)
        {
            return [new TextReply(BotText.Stopped)];
        }

        var answers = checkIn.AnswersById();
        if (checkIn.Status == CheckInStatus.Completed || QuestionSetProgress.Next(set, answers) is null)
        {
            return [.. Summary(checkIn, set, "Answered", turn.ReplyToId), new TextReply(BotText.Thanks(turn.Person.Name))];
        }

        if (turn.Submission is { Partial: true })
        {
            // Answered one question of several: the same card, updated in place, shows what is left.
            var card = CardFor(checkIn, set, BotText.Greeting(turn.Person.Name, checkIn.Purchase)) with { Answered = AnsweredSoFar(checkIn, set) };
            return [new CheckInCardReply(card, turn.ReplyToId ?? checkIn.CardMessageId)];
        }

        if (turn.Submission is not null)
        {
            // The card was answered but a follow-up now applies: close that card and ask the follow-ups on a new one.
            return [.. Summary(checkIn, set, "Answered so far", turn.ReplyToId), new CheckInCardReply(CardFor(checkIn, set, null))];
        }

        return [Prompt(checkIn, set, QuestionSetProgress.Next(set, answers)!, answers)];
    }

    private static IEnumerable<Reply> Summary(CheckIn checkIn, QuestionSet set, string status, string? cardId = null)
    {
        var messageId = cardId ?? checkIn.CardMessageId;
        if (string.IsNullOrEmpty(messageId))
        {
            yield break;
        }

        yield return new CheckInSummaryReply(messageId, new CheckInSummary(checkIn.Id, checkIn.Purchase, status, AnsweredSoFar(checkIn, set)));
    }

    private static List<(string Question, string Answer)> AnsweredSoFar(CheckIn checkIn, QuestionSet set) =>
        [.. checkIn.Answers.Select(a => (set.FindQuestion(a.QuestionId) is { } q ? QuestionSetProgress.TextOf(q, checkIn.Purchase) : a.QuestionId, a.Display()))];

    private static TextReply Prompt(CheckIn checkIn, QuestionSet set, Question question, IReadOnlyDictionary<string, Answer> answers, string? before = null)
    {
        var visible = QuestionSetProgress.Visible(set, answers);
        var position = visible.ToList().FindIndex(q => q.Id == question.Id) + 1;
        var suggestions = question.Type switch
        {
            QuestionType.Rating => ["1", "2", "3", "4", "5"],
            QuestionType.Nps => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
            QuestionType.YesNo => ["Yes", "No"],
            QuestionType.Choice => question.Choices.ToList(),
            _ => new List<string>(),
        };
        if (!question.Required)
        {
            suggestions.Add("Skip");
        }

        var prompt = $"({position}/{visible.Count}) {QuestionSetProgress.TextOf(question, checkIn.Purchase)}";
        return new TextReply(before is null ? prompt : $"{before}\n\n{prompt}", suggestions);
    }

    /// <summary>The card with a check-in's open questions; the greeting is used on the first card only.</summary>
    public static CheckInCard CardFor(CheckIn checkIn, QuestionSet set, string? greeting)
    {
        var answers = checkIn.AnswersById();

        // A card cannot show or hide questions as inputs change, so it carries every open question
        // without a condition; follow-ups come on a second card once their condition holds.
        var open = QuestionSetProgress.Open(set, answers).Where(q => q.ShowIf is null || answers.Count > 0).ToList();
        var questions = open.Select((q, i) => new CardQuestion(q, QuestionSetProgress.TextOf(q, checkIn.Purchase), i + 1)).ToList();
        return new CheckInCard(checkIn.Id, greeting ?? "A follow-up question:", checkIn.Purchase, questions);
    }

    private async Task<TextReply> StatusAsync(Person person, CancellationToken cancellationToken)
    {
        var key = person.Addresses().FirstOrDefault();
        var pending = key is null ? [] : await store.GetCheckInsForRequesterAsync(key, Pending, cancellationToken);
        if (pending.Count == 0)
        {
            return new TextReply(person.OptedOut
                ? "You have no open check-ins, and you've opted out of new ones (say **opt in** to resume)."
                : "You have no open check-ins.");
        }

        var lines = pending.Select(c => c.Status == CheckInStatus.InProgress
            ? $"• {c.Purchase.PurchaseId}: {c.Purchase.Description} from {c.Purchase.Supplier}, waiting for your answers"
            : $"• {c.Purchase.PurchaseId}: {c.Purchase.Description} from {c.Purchase.Supplier}, I'll ask on {c.DueAt:MMM d}");
        return new TextReply("Your open check-ins:\n" + string.Join("\n", lines));
    }

    /// <summary>
    /// Recorded on the person, and honoured at once: opting out skips every unfinished check-in with the reason
    /// (none is deleted); opting in again schedules those skipped ones still worth asking about.
    /// </summary>
    private async Task<int> SetOptOutAsync(Person person, bool optedOut, CancellationToken cancellationToken)
    {
        var current = await store.GetPersonAsync(person.Id, cancellationToken) ?? person;
        var now = clock.GetUtcNow();
        await store.UpsertPersonAsync(current with { OptedOut = optedOut, OptedOutChangedAt = now, UpdatedAt = now }, cancellationToken);
        logger.LogInformation("Person {PersonId} opted {Direction}", person.Id, optedOut ? "out" : "in");
        return optedOut
            ? await pending.SkipAllAsync(current, cancellationToken)
            : await pending.ResumeAsync(current, options.Value.ExpireAfter, cancellationToken);
    }

    /// <summary>The person's oldest check-in that is waiting for answers.</summary>
    private async Task<CheckIn?> OpenCheckInAsync(Person person, CancellationToken cancellationToken)
    {
        foreach (var address in person.Addresses())
        {
            if (await store.FindOpenCheckInAsync(address, person.Id, cancellationToken) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private sealed record Outcome(CheckIn? Updated, IReadOnlyList<Reply> Replies);

    /// <summary>Read, decide, write if unchanged since the read; on a conflict, decide again on fresh state.</summary>
    private async Task<IReadOnlyList<Reply>> UpdateAsync(
        string checkInId, Func<CheckIn, QuestionSet, Outcome> decide, CancellationToken cancellationToken, CheckIn? justRead = null, string? typedActivityKey = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            // The first attempt may use the copy the caller just read; a conflict always re-reads.
            var checkIn = (attempt == 0 ? justRead : null) ?? await store.GetCheckInAsync(checkInId, cancellationToken)
                ?? throw new InvalidOperationException($"Check-in {checkInId} disappeared while it was being answered.");
            var set = await catalog.GetAsync(checkIn.QuestionSetId, checkIn.QuestionSetVersion, cancellationToken);
            var outcome = decide(checkIn, set);
            // The write that finishes it also records that escalations and results are still to hear of it.
            var updated = outcome.Updated is null ? null : FinishedCheckIns.Mark(checkIn, outcome.Updated);
            if (typedActivityKey is not null && checkIn.IsOpen && updated is { IsOpen: false })
            {
                // A retry of this typed answer must not become an answer to the person's next open check-in.
                await pending.CarryTypedAnswerAsync(checkIn, typedActivityKey, cancellationToken);
            }

            var saved = updated is null ? null : await store.TryReplaceCheckInAsync(updated, cancellationToken);
            if (updated is null || saved is not null)
            {
                if (saved is { Status: CheckInStatus.Completed } done && checkIn.Status != CheckInStatus.Completed)
                {
                    logger.LogInformation("Check-in {CheckInId} for purchase {PurchaseId} completed with {AnswerCount} answers", done.Id, done.Purchase.PurchaseId, done.Answers.Count);
                }

                // Raised and counted into the results after the answers are stored and before anyone is thanked;
                // what cannot be done now (a crash, contention) the sweep does, as the flag stays set until done.
                // A retried activity lands here again with the finished check-in and finishes what is pending.
                if ((saved ?? checkIn) is { Status: CheckInStatus.Completed or CheckInStatus.Stopped } finished)
                {
                    await finishes.AnnounceAsync(finished, set, cancellationToken);
                    if (checkIn.Status == CheckInStatus.InProgress)
                    {
                        // The next delivery held behind this one may be asked now.
                        await pending.ReleaseNextAsync(finished.RequesterKey, cancellationToken, typedActivityKey);
                    }
                }

                return outcome.Replies;
            }

            if (attempt >= 4)
            {
                throw new InvalidOperationException($"Check-in {checkInId} kept changing under concurrent updates.");
            }
        }
    }
}
