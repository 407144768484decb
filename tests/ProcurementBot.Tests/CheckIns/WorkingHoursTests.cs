using System.Globalization;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.CheckIns;

/// <summary>Check-ins wait for the requester's working hours in their own zone, across weekends and clock changes.</summary>
public sealed class WorkingHoursTests
{
    private static readonly WorkingHours NineToFive = WorkingHours.Default;

    public static TheoryData<string, string, string> Openings => new()
    {
        // zone · due (UTC) · expected opening (UTC), Monday to Friday 09:00-17:00 local
        // Wednesday 10:00 in Berlin (+01): open, unchanged.
        { "Europe/Berlin", "2026-03-04T09:00:00Z", "2026-03-04T09:00:00Z" },
        // Wednesday 07:30 in Berlin: 09:00 the same morning.
        { "Europe/Berlin", "2026-03-04T06:30:00Z", "2026-03-04T08:00:00Z" },
        // Wednesday 16:59:59 is still open; 17:00 sharp is over, Thursday 09:00.
        { "Europe/Berlin", "2026-03-04T15:59:59Z", "2026-03-04T15:59:59Z" },
        { "Europe/Berlin", "2026-03-04T16:00:00Z", "2026-03-05T08:00:00Z" },
        // Friday 18:00: Monday 09:00.
        { "Europe/Berlin", "2026-03-06T17:00:00Z", "2026-03-09T08:00:00Z" },
        // Saturday and Sunday: Monday 09:00.
        { "Europe/Berlin", "2026-03-07T10:00:00Z", "2026-03-09T08:00:00Z" },
        { "Europe/Berlin", "2026-03-08T22:59:59Z", "2026-03-09T08:00:00Z" },
        // Friday evening before the clocks go forward (Sunday 29 March): Monday 09:00 is at +02.
        { "Europe/Berlin", "2026-03-27T17:00:00Z", "2026-03-30T07:00:00Z" },
        // Friday evening before the clocks go back (Sunday 25 October): Monday 09:00 is at +01 again.
        { "Europe/Berlin", "2026-10-23T16:00:00Z", "2026-10-26T08:00:00Z" },
        // New York: clocks forward on Sunday 8 March, back on Sunday 1 November.
        { "America/New_York", "2026-03-06T22:30:00Z", "2026-03-09T13:00:00Z" },
        { "America/New_York", "2026-10-30T21:30:00Z", "2026-11-02T14:00:00Z" },
        // New York Monday 08:59 EST is before hours.
        { "America/New_York", "2026-11-02T13:59:00Z", "2026-11-02T14:00:00Z" },
        // Auckland (+13 in March): Monday 21:00 local is Tuesday 09:00 local, still Monday in UTC.
        { "Pacific/Auckland", "2026-03-02T08:00:00Z", "2026-03-02T20:00:00Z" },
        // Friday noon UTC is Saturday 01:00 in Auckland: Monday 09:00 local is Sunday evening UTC.
        { "Pacific/Auckland", "2026-03-06T12:00:00Z", "2026-03-08T20:00:00Z" },
        // Sunday 20:00 UTC is Monday 09:00 in Auckland: open.
        { "Pacific/Auckland", "2026-03-08T20:00:00Z", "2026-03-08T20:00:00Z" },
        // Kolkata (+05:30): 08:30 local waits half an hour; 16:59 is open; 17:00 waits for Thursday.
        { "Asia/Kolkata", "2026-03-04T03:00:00Z", "2026-03-04T03:30:00Z" },
        { "Asia/Kolkata", "2026-03-04T11:29:00Z", "2026-03-04T11:29:00Z" },
        { "Asia/Kolkata", "2026-03-04T11:30:00Z", "2026-03-05T03:30:00Z" },
        // UTC itself.
        { "UTC", "2026-03-07T12:00:00Z", "2026-03-09T09:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(Openings))]
    public void A_due_time_waits_for_the_next_working_hours_in_the_requesters_zone(string zoneId, string due, string expected)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var at = Instant(due);

        var opening = NineToFive.NextOpening(at, zone);

        Assert.Equal(Instant(expected), opening);
        Assert.Equal(Instant(expected).UtcDateTime, opening.UtcDateTime);
        Assert.True(NineToFive.IsOpen(opening, zone));
        Assert.Equal(at == opening, NineToFive.IsOpen(at, zone));
    }

    [Fact]
    public void An_open_time_comes_back_unchanged_with_its_own_offset()
    {
        // 02:00 at -07 is 10:00 in Berlin.
        var at = new DateTimeOffset(2026, 3, 4, 2, 0, 0, TimeSpan.FromHours(-7));

        var opening = NineToFive.NextOpening(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.Equal(at.Offset, opening.Offset);
        Assert.Equal(at.UtcDateTime, opening.UtcDateTime);
    }

    [Fact]
    public void An_opening_is_given_in_the_zones_local_offset()
    {
        var opening = NineToFive.NextOpening(Instant("2026-03-07T10:00:00Z"), TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"));

        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 0, 0, new TimeSpan(5, 30, 0)), opening);
        Assert.Equal(new TimeSpan(5, 30, 0), opening.Offset);
    }

    public static TheoryData<string, string, string, string, string> ClockChanges => new()
    {
        // zone · hours on Sundays · due (UTC) · expected opening (UTC) · why
        { "Europe/Berlin", "02:30-10:00", "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "02:30 does not exist that day: clocks jump from 02:00 to 03:00 (+02), which is inside the hours" },
        { "Europe/Berlin", "02:30-10:00", "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z", "03:00 (+02) is open" },
        { "Europe/Berlin", "02:10-02:50", "2026-03-29T00:00:00Z", "2026-04-05T00:10:00Z", "hours wholly inside the skipped hour never open that day: next Sunday" },
        { "Europe/Berlin", "02:30-04:00", "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "the first 02:30 (+02) of a day when clocks go back" },
        { "Europe/Berlin", "02:30-04:00", "2026-10-25T01:10:00Z", "2026-10-25T01:30:00Z", "clocks went back to 02:00 (+01): 02:10 again, so the second 02:30 opens" },
        { "Europe/Berlin", "01:00-02:30", "2026-10-25T00:45:00Z", "2026-10-25T01:00:00Z", "02:45 (+02) is past the end, but clocks go back to 02:00 (+01), inside the hours" },
        { "America/New_York", "02:30-10:00", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "02:30 does not exist that day: clocks jump from 02:00 to 03:00 (EDT)" },
        { "America/New_York", "01:30-10:00", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z", "the first 01:30 (EDT) of a day when clocks go back" },
        { "America/New_York", "01:30-10:00", "2026-11-01T06:05:00Z", "2026-11-01T06:30:00Z", "clocks went back to 01:00 (EST): 01:05 again, so the second 01:30 opens" },
        { "Pacific/Auckland", "02:30-10:00", "2026-09-26T13:00:00Z", "2026-09-26T14:00:00Z", "Auckland skips 02:00-03:00 on Sunday 27 September" },
    };

    [Theory]
    [MemberData(nameof(ClockChanges))]
    public void Clock_changes_open_the_hours_when_the_wall_clock_first_shows_them(string zoneId, string hours, string due, string expected, string why)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var sundays = Hours(hours, DayOfWeek.Sunday);

        var opening = sundays.NextOpening(Instant(due), zone);

        Assert.True(Instant(expected) == opening, $"{why}: expected {expected}, got {opening.UtcDateTime:O}");
        Assert.True(sundays.IsOpen(opening, zone));
    }

    public static TheoryData<string, string, string, string> OtherDays => new()
    {
        // days · hours · due (UTC, zone UTC) · expected opening
        { "Saturday,Sunday", "10:00-14:00", "2026-03-04T12:00:00Z", "2026-03-07T10:00:00Z" },
        { "Saturday,Sunday", "10:00-14:00", "2026-03-07T14:00:00Z", "2026-03-08T10:00:00Z" },
        { "Tuesday", "08:00-12:00", "2026-03-03T12:00:00Z", "2026-03-10T08:00:00Z" },
        { "Tuesday", "08:00-12:00", "2026-03-03T11:59:00Z", "2026-03-03T11:59:00Z" },
        { "Monday,Wednesday,Friday", "00:00-23:59", "2026-03-03T05:00:00Z", "2026-03-04T00:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(OtherDays))]
    public void Other_working_days_and_hours(string days, string hours, string due, string expected)
    {
        var workingHours = Hours(hours, [.. days.Split(',').Select(Enum.Parse<DayOfWeek>)]);

        Assert.Equal(Instant(expected), workingHours.NextOpening(Instant(due), TimeZoneInfo.Utc));
    }

    [Fact]
    public void The_opening_is_the_first_open_minute_in_weeks_with_clock_changes()
    {
        // Against a minute-by-minute walk of the wall clock, in zones with 1-hour and 30-minute (Lord Howe) changes.
        var random = new Random(6);
        string[] zones = ["Europe/Berlin", "America/New_York", "Pacific/Auckland", "Australia/Lord_Howe", "Asia/Kolkata"];
        WorkingHours[] hours = [NineToFive, Hours("02:30-03:15", DayOfWeek.Sunday, DayOfWeek.Monday), Hours("01:00-02:30", DayOfWeek.Sunday)];
        DateTimeOffset[] changeWeeks = [Instant("2026-03-26T00:00:00Z"), Instant("2026-10-22T00:00:00Z"), Instant("2026-03-05T00:00:00Z"), Instant("2026-10-29T00:00:00Z"), Instant("2026-04-02T00:00:00Z"), Instant("2026-09-24T00:00:00Z"), Instant("2026-10-01T00:00:00Z")];
        for (var i = 0; i < 300; i++)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zones[random.Next(zones.Length)]);
            var workingHours = hours[random.Next(hours.Length)];
            var at = changeWeeks[random.Next(changeWeeks.Length)].AddMinutes(random.Next(7 * 24 * 60));

            var opening = workingHours.NextOpening(at, zone);

            var walked = at;
            while (!workingHours.IsOpen(walked, zone))
            {
                walked = walked.AddMinutes(1);
            }

            Assert.True(walked == opening, $"{zone.Id} {workingHours.Start}-{workingHours.End} from {at:O}: walked to {walked:O}, got {opening:O}");
        }
    }

    [Fact]
    public void Hours_that_never_open_are_refused_rather_than_searched_forever()
    {
        var at = Instant("2026-03-04T12:00:00Z");

        Assert.Throws<InvalidOperationException>(() => Hours("17:00-09:00").NextOpening(at, TimeZoneInfo.Utc));
        Assert.Throws<InvalidOperationException>(() => Hours("09:00-09:00").NextOpening(at, TimeZoneInfo.Utc));
        Assert.Throws<InvalidOperationException>(() => (NineToFive with { Days = [] }).NextOpening(at, TimeZoneInfo.Utc));
    }

    public static TheoryData<string?, string, string> Zones => new()
    {
        // asked for · fallback · zone found
        { "America/Los_Angeles", "UTC", "America/Los_Angeles" },
        { " Asia/Kolkata ", "UTC", "Asia/Kolkata" },
        { "Mars/Olympus_Mons", "Europe/Berlin", "Europe/Berlin" },
        { "", "Europe/Berlin", "Europe/Berlin" },
        { null, "Pacific/Auckland", "Pacific/Auckland" },
        { "Mars/Olympus_Mons", "Nowhere/At_All", "UTC" },
        { "../../etc/passwd", "Asia/Kolkata", "Asia/Kolkata" },
        // Odd ids a client could send as localTimezone: files in the zone folder that are not zones, paths, control characters, lengths.
        { "zone.tab", "Asia/Kolkata", "Asia/Kolkata" },
        { "tzdata.zi", "Asia/Kolkata", "Asia/Kolkata" },
        { "iso3166.tab", "Asia/Kolkata", "Asia/Kolkata" },
        { "leapseconds", "Asia/Kolkata", "Asia/Kolkata" },
        { "Europe", "Asia/Kolkata", "Asia/Kolkata" },
        { "/", "Asia/Kolkata", "Asia/Kolkata" },
        { "/dev/zero", "Asia/Kolkata", "Asia/Kolkata" },
        { "Europe/Berlin\u0000", "Asia/Kolkata", "Asia/Kolkata" },
        { "Etc/GMT+99", "Asia/Kolkata", "Asia/Kolkata" },
        { new string('a', 100_000), "Asia/Kolkata", "Asia/Kolkata" },
    };

    [Theory]
    [MemberData(nameof(Zones))]
    public void An_unknown_zone_id_falls_back_to_the_configured_default_then_UTC(string? asked, string fallback, string found)
    {
        var zone = WorkingHours.ZoneOf(asked, fallback);

        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(found).GetUtcOffset(Instant("2026-07-01T12:00:00Z")), zone.GetUtcOffset(Instant("2026-07-01T12:00:00Z")));
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(found).GetUtcOffset(Instant("2026-01-01T12:00:00Z")), zone.GetUtcOffset(Instant("2026-01-01T12:00:00Z")));
        Assert.Equal(found, zone.Id);
    }

    [Fact]
    public void A_Windows_zone_id_is_understood_too()
    {
        var zone = WorkingHours.ZoneOf("W. Europe Standard Time", "UTC");

        Assert.Equal(TimeSpan.FromHours(2), zone.GetUtcOffset(Instant("2026-07-01T12:00:00Z")));
        Assert.Equal(TimeSpan.FromHours(1), zone.GetUtcOffset(Instant("2026-01-01T12:00:00Z")));
        Assert.Equal(Instant("2026-03-09T08:00:00Z"), NineToFive.NextOpening(Instant("2026-03-07T10:00:00Z"), zone));
    }

    private static WorkingHours Hours(string hours, params DayOfWeek[] days)
    {
        var (start, end) = (hours.Split('-')[0], hours.Split('-')[1]);
        return new WorkingHours
        {
            Start = TimeOnly.ParseExact(start, "HH:mm", CultureInfo.InvariantCulture),
            End = TimeOnly.ParseExact(end, "HH:mm", CultureInfo.InvariantCulture),
            Days = days.Length == 0 ? WorkingHours.Default.Days : days,
        };
    }

    private static DateTimeOffset Instant(string utc) => DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
