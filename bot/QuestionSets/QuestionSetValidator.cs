namespace ProcurementBot.QuestionSets;

public static class QuestionSetValidator
{
    public const int MaxQuestions = 20;

    public static IReadOnlyList<ValidationError> Validate(QuestionSet set)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(set.Id) || set.Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            errors.Add(new("/id", "The id must be non-empty and use only letters, digits, '-' and '_'."));
        }

        if (string.IsNullOrWhiteSpace(set.Name))
        {
            errors.Add(new("/name", "The set needs a name."));
        }

        if (set.CheckInDelayHours is < 0 or > 24 * 90)
        {
            errors.Add(new("/checkInDelayHours", "The delay after delivery must be between 0 and 2160 hours (90 days)."));
        }

        if (set.Timing is { } timing)
        {
            ValidateTiming(timing, errors);
        }

        if (!set.IsDefault && set.Categories.Count == 0)
        {
            errors.Add(new("/categories", "A set that is not the default must name at least one purchase category."));
        }

        ValidateNames(set.Categories, "/categories", "category", errors);

        if (set.Questions.Count == 0)
        {
            errors.Add(new("/questions", "A set needs at least one question."));
        }
        else if (set.Questions.Count > MaxQuestions)
        {
            errors.Add(new("/questions", $"A set may have at most {MaxQuestions} questions; a longer card does not fit Teams."));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < set.Questions.Count; i++)
        {
            var q = set.Questions[i];
            var at = $"/questions/{i}";
            if (string.IsNullOrWhiteSpace(q.Id))
            {
                errors.Add(new($"{at}/id", "Every question needs an id."));
            }
            else if (!seen.TryAdd(q.Id, i))
            {
                errors.Add(new($"{at}/id", $"The question id '{q.Id}' is used twice; ids must be unique."));
            }

            if (string.IsNullOrWhiteSpace(q.Text))
            {
                errors.Add(new($"{at}/text", "Every question needs text."));
            }

            if (q.Type == QuestionType.Choice && q.Choices.Count == 0)
            {
                errors.Add(new($"{at}/choices", "A choice question needs at least one choice."));
            }

            if (q.Type != QuestionType.Choice && q.Choices.Count > 0)
            {
                errors.Add(new($"{at}/choices", "Only choice questions take choices."));
            }

            ValidateNames(q.Choices, $"{at}/choices", "choice", errors);

            if (q.ShowIf is { } condition)
            {
                // Only questions before this one can decide whether it is asked.
                // Ids already reported (blank or repeated) must not stop the check of the condition.
                var earlier = set.Questions.Take(i).Where(x => !string.IsNullOrEmpty(x.Id)).DistinctBy(x => x.Id).ToDictionary(x => x.Id, StringComparer.Ordinal);
                ValidateCondition(condition, $"{at}/showIf", earlier, set, errors);
            }
        }

        var all = set.Questions.Where(q => !string.IsNullOrEmpty(q.Id)).DistinctBy(q => q.Id).ToDictionary(q => q.Id, StringComparer.Ordinal);
        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < set.EscalationRules.Count; i++)
        {
            var rule = set.EscalationRules[i];
            var at = $"/escalationRules/{i}";
            if (string.IsNullOrWhiteSpace(rule.Id) || !ruleIds.Add(rule.Id))
            {
                errors.Add(new($"{at}/id", "Every escalation rule needs a unique id."));
            }

            if (rule.When is null)
            {
                errors.Add(new($"{at}/when", "Every escalation rule needs a condition ('when')."));
                continue;
            }

            ValidateCondition(rule.When, $"{at}/when", all, set, errors);
            if (rule.Trend is { } trend)
            {
                if (trend.Count is < 2 or > 100)
                {
                    errors.Add(new($"{at}/trend/count", "A supplier trend needs a count between 2 and 100 (one bad answer is a rule without a trend)."));
                }

                if (trend.WithinDays is < 1 or > 365)
                {
                    errors.Add(new($"{at}/trend/withinDays", "A supplier trend's window must be between 1 and 365 days."));
                }
            }
        }

        return errors;
    }

    private static void ValidateTiming(CheckInTiming timing, List<ValidationError> errors)
    {
        if (timing.WorkingHours is { } hours)
        {
            if (hours.End <= hours.Start)
            {
                errors.Add(new("/timing/workingHours/end", "Working hours must end after they start on the same day; hours across midnight are not supported."));
            }

            if (hours.Days is { Count: 0 })
            {
                errors.Add(new("/timing/workingHours/days", "Working hours need at least one day; leave days out to use the bot's working days."));
            }

            var seen = new HashSet<DayOfWeek>();
            for (var i = 0; i < (hours.Days?.Count ?? 0); i++)
            {
                var day = hours.Days![i];
                if (!Enum.IsDefined(day))
                {
                    errors.Add(new($"/timing/workingHours/days/{i}", $"{(int)day} is not a day; use monday, tuesday, wednesday, thursday, friday, saturday or sunday."));
                }
                else if (!seen.Add(day))
                {
                    errors.Add(new($"/timing/workingHours/days/{i}", $"{day.ToString().ToLowerInvariant()} is listed twice."));
                }
            }
        }

        // Written as "in range" and negated, so NaN is refused too.
        var reminderOk = timing.ReminderAfterHours is not { } reminder || reminder is > 0 and <= 24 * 30;
        var countOk = timing.MaxReminders is null or (>= 0 and <= 10);
        var expireOk = timing.ExpireAfterHours is not { } expire || expire is > 0 and <= 24 * 90;
        if (!reminderOk)
        {
            errors.Add(new("/timing/reminderAfterHours", "A reminder must come more than 0 and at most 720 hours (30 days) after the check-in."));
        }

        if (!countOk)
        {
            errors.Add(new("/timing/maxReminders", "maxReminders must be between 0 (no reminders) and 10."));
        }

        if (!expireOk)
        {
            errors.Add(new("/timing/expireAfterHours", "A check-in must expire more than 0 and at most 2160 hours (90 days) after it is sent."));
        }

        // A set that says when to remind but not how often means at least one reminder.
        var count = timing.MaxReminders ?? 1;
        if (reminderOk && countOk && expireOk && count > 0
            && timing is { ExpireAfterHours: { } expires, ReminderAfterHours: { } every } && expires <= every * count)
        {
            errors.Add(new("/timing/expireAfterHours", FormattableString.Invariant(
                $"The check-in would expire before its last reminder: {count} reminder(s) {every:0.##} hours apart need expireAfterHours above {every * count:0.##}.")));
        }
    }

    /// <summary>Categories and choices: none blank, none twice (case-insensitive, as they are matched).</summary>
    private static void ValidateNames(IReadOnlyList<string> names, string at, string what, List<ValidationError> errors)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                errors.Add(new($"{at}/{i}", $"A {what} must not be blank."));
            }
            else if (!seen.Add(names[i].Trim()))
            {
                errors.Add(new($"{at}/{i}", $"The {what} '{names[i].Trim()}' is listed twice."));
            }
        }
    }

    private static void ValidateCondition(
        Condition condition, string at, Dictionary<string, Question> allowed, QuestionSet set, List<ValidationError> errors)
    {
        if (condition.Question is null || !allowed.TryGetValue(condition.Question, out var target))
        {
            var exists = condition.Question is not null && set.FindQuestion(condition.Question) is not null;
            errors.Add(new($"{at}/question", exists
                ? $"The condition refers to '{condition.Question}', which is not asked before this question."
                : $"The condition refers to '{condition.Question}', which is not a question of this set."));
            return;
        }

        if (condition.ComparisonCount != 1)
        {
            errors.Add(new(at, "A condition needs exactly one of atMost, atLeast, equals, unanswered or containsAny."));
            return;
        }

        if (condition.ContainsAny is { } words)
        {
            if (target.Type != QuestionType.Text)
            {
                errors.Add(new($"{at}/containsAny", $"containsAny applies to free-text questions; '{target.Id}' is {target.Type}."));
            }
            else if (words.Count == 0 || words.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add(new($"{at}/containsAny", "containsAny needs at least one word, and no empty ones."));
            }
        }

        var numeric = target.Type is QuestionType.Rating or QuestionType.Nps;
        var max = target.Type == QuestionType.Nps ? 10 : 5;
        var min = target.Type == QuestionType.Nps ? 0 : 1;
        if ((condition.AtMost ?? condition.AtLeast) is { } bound)
        {
            if (!numeric)
            {
                errors.Add(new(at, $"atMost and atLeast only apply to rating and NPS questions; '{target.Id}' is {target.Type}."));
            }
            else if (bound < min || bound > max)
            {
                errors.Add(new(at, $"The bound {bound} is outside the scale of '{target.Id}' ({min} to {max}), so the condition can never hold as meant."));
            }
        }

        if (condition.EqualsValue is { } value)
        {
            var ok = target.Type switch
            {
                QuestionType.YesNo => value is "yes" or "no",
                QuestionType.Choice => target.Choices.Contains(value, StringComparer.OrdinalIgnoreCase),
                _ => false,
            };
            if (!ok)
            {
                errors.Add(new($"{at}/equals", target.Type switch
                {
                    QuestionType.YesNo => $"'{value}' can never be the answer to '{target.Id}'; use \"yes\" or \"no\".",
                    QuestionType.Choice => $"'{value}' is not one of the choices of '{target.Id}'.",
                    _ => $"equals applies to yes/no and choice questions; '{target.Id}' is {target.Type}.",
                }));
            }
        }
    }
}
