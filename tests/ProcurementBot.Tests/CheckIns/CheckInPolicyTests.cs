using ProcurementBot.CheckIns;
using ProcurementBot.QuestionSets;

namespace ProcurementBot.Tests.CheckIns;

/// <summary>A check-in's timing: what its question set says, and the global CheckIns settings for the rest, field by field.</summary>
public sealed class CheckInPolicyTests
{
    private static readonly CheckInOptions Global = new()
    {
        WorkingHours = new() { Start = new(7, 0), End = new(15, 0), Days = [DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday] },
        ReminderAfter = TimeSpan.FromHours(30),
        MaxReminders = 3,
        ExpireAfter = TimeSpan.FromDays(10),
    };

    private static readonly WorkingHours GlobalHours = Global.WorkingHours.ToWorkingHours();

    [Fact]
    public void A_set_without_timing_follows_the_global_settings()
    {
        var policy = CheckInPolicy.For(Set(null), Global);

        AssertSame(new CheckInPolicy(GlobalHours, TimeSpan.FromHours(30), 3, TimeSpan.FromDays(10)), policy);
        Assert.Equal([DayOfWeek.Sunday, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday], policy.WorkingHours.Days);
    }

    [Fact]
    public void A_set_with_all_its_timing_follows_only_its_own()
    {
        var timing = new CheckInTiming
        {
            WorkingHours = new() { Start = new(10, 0), End = new(12, 30), Days = [DayOfWeek.Saturday] },
            ReminderAfterHours = 12,
            MaxReminders = 0,
            ExpireAfterHours = 36,
        };

        var policy = CheckInPolicy.For(Set(timing), Global);

        Assert.Equal((new TimeOnly(10, 0), new TimeOnly(12, 30)), (policy.WorkingHours.Start, policy.WorkingHours.End));
        Assert.Equal([DayOfWeek.Saturday], policy.WorkingHours.Days);
        Assert.Equal((TimeSpan.FromHours(12), 0, TimeSpan.FromHours(36)), (policy.ReminderAfter, policy.MaxReminders, policy.ExpireAfter));
    }

    public static TheoryData<string> OneFieldEach => ["hours", "hours without days", "reminderAfterHours", "maxReminders", "expireAfterHours"];

    [Theory]
    [MemberData(nameof(OneFieldEach))]
    public void Each_field_a_set_leaves_out_comes_from_the_global_settings(string given)
    {
        var timing = given switch
        {
            "hours" => new CheckInTiming { WorkingHours = new() { Start = new(8, 0), End = new(18, 0), Days = [DayOfWeek.Friday, DayOfWeek.Friday] } },
            "hours without days" => new CheckInTiming { WorkingHours = new() { Start = new(8, 0), End = new(18, 0) } },
            "reminderAfterHours" => new CheckInTiming { ReminderAfterHours = 1.5 },
            "maxReminders" => new CheckInTiming { MaxReminders = 0 },
            _ => new CheckInTiming { ExpireAfterHours = 500 },
        };

        var policy = CheckInPolicy.For(Set(timing), Global);

        var expected = given switch
        {
            "hours" => new CheckInPolicy(GlobalHours with { Start = new(8, 0), End = new(18, 0), Days = [DayOfWeek.Friday] }, TimeSpan.FromHours(30), 3, TimeSpan.FromDays(10)),
            "hours without days" => new CheckInPolicy(GlobalHours with { Start = new(8, 0), End = new(18, 0) }, TimeSpan.FromHours(30), 3, TimeSpan.FromDays(10)),
            "reminderAfterHours" => new CheckInPolicy(GlobalHours, TimeSpan.FromMinutes(90), 3, TimeSpan.FromDays(10)),
            "maxReminders" => new CheckInPolicy(GlobalHours, TimeSpan.FromHours(30), 0, TimeSpan.FromDays(10)),
            _ => new CheckInPolicy(GlobalHours, TimeSpan.FromHours(30), 3, TimeSpan.FromHours(500)),
        };
        AssertSame(expected, policy);
    }

    [Fact]
    public void Without_configured_days_people_are_asked_Monday_to_Friday()
    {
        var policy = CheckInPolicy.For(Set(null), new CheckInOptions());

        Assert.Equal(WorkingHours.Default.Days, policy.WorkingHours.Days);
        Assert.Equal((new TimeOnly(9, 0), new TimeOnly(17, 0)), (policy.WorkingHours.Start, policy.WorkingHours.End));
        Assert.Equal((TimeSpan.FromDays(2), 1, TimeSpan.FromDays(7)), (policy.ReminderAfter, policy.MaxReminders, policy.ExpireAfter));
    }

    /// <summary>Field by field: the records compare their day lists by reference.</summary>
    private static void AssertSame(CheckInPolicy expected, CheckInPolicy actual)
    {
        Assert.Equal((expected.ReminderAfter, expected.MaxReminders, expected.ExpireAfter), (actual.ReminderAfter, actual.MaxReminders, actual.ExpireAfter));
        Assert.Equal((expected.WorkingHours.Start, expected.WorkingHours.End), (actual.WorkingHours.Start, actual.WorkingHours.End));
        Assert.Equal(expected.WorkingHours.Days, actual.WorkingHours.Days);
    }

    private static QuestionSet Set(CheckInTiming? timing) => new()
    {
        Id = "timed",
        Name = "Timed",
        IsDefault = true,
        Timing = timing,
        Questions = [new() { Id = "overall", Type = QuestionType.Rating, Text = "How was it?" }],
    };
}
