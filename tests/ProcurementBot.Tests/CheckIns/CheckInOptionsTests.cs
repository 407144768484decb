using Microsoft.Extensions.Options;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Tests.CheckIns;

/// <summary>The CheckIns timing settings bind from JSON and environment variables and are checked when the bot starts.</summary>
public sealed class CheckInOptionsTests
{
    [Fact]
    public void Working_days_from_json_replace_the_default_rather_than_add_to_it()
    {
        var json = """{"CheckIns":{"WorkingHours":{"Start":"08:30","End":"16:45","Days":["Saturday","sunday"]}}}""";
        using var services = Services(new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))));

        var hours = services.GetRequiredService<IOptions<CheckInOptions>>().Value.WorkingHours.ToWorkingHours();

        Assert.Equal([DayOfWeek.Saturday, DayOfWeek.Sunday], hours.Days);
        Assert.Equal((new TimeOnly(8, 30), new TimeOnly(16, 45)), (hours.Start, hours.End));
    }

    [Fact]
    public void Working_days_bind_from_environment_variables()
    {
        var prefix = $"PROCUREMENTBOT_TEST_{Guid.NewGuid():N}_";
        (string Name, string Value)[] variables =
        [
            ("CheckIns__WorkingHours__Days__0", "Monday"),
            ("CheckIns__WorkingHours__Days__1", "Thursday"),
            ("CheckIns__WorkingHours__Start", "07:00"),
            ("CheckIns__DefaultTimeZone", "Asia/Kolkata"),
        ];
        try
        {
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(prefix + name, value);
            }

            using var services = Services(new ConfigurationBuilder().AddEnvironmentVariables(prefix));
            var options = services.GetRequiredService<IOptions<CheckInOptions>>().Value;

            Assert.Equal([DayOfWeek.Monday, DayOfWeek.Thursday], options.WorkingHours.ToWorkingHours().Days);
            Assert.Equal((new TimeOnly(7, 0), new TimeOnly(17, 0)), (options.WorkingHours.Start, options.WorkingHours.End));
            Assert.Equal("Asia/Kolkata", options.DefaultTimeZone);
        }
        finally
        {
            foreach (var (name, _) in variables)
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }
        }
    }

    [Fact]
    public void Without_settings_people_are_asked_Monday_to_Friday_nine_to_five_in_UTC()
    {
        using var services = Services(Settings([]));

        var options = services.GetRequiredService<IOptions<CheckInOptions>>().Value;

        Assert.Equal(WorkingHours.Default with { Days = options.WorkingHours.ToWorkingHours().Days }, options.WorkingHours.ToWorkingHours());
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], options.WorkingHours.ToWorkingHours().Days);
        Assert.Equal("UTC", options.DefaultTimeZone);
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        // key · value · what the error names
        { "CheckIns:WorkingHours:End", "08:00", "CheckIns:WorkingHours:End (08:00) must be after CheckIns:WorkingHours:Start (09:00)" },
        { "CheckIns:WorkingHours:End", "09:00", "CheckIns:WorkingHours:End (09:00) must be after" },
        { "CheckIns:WorkingHours:Days:0", "9", "CheckIns:WorkingHours:Days:0 is '9', which is not a day" },
        { "CheckIns:WorkingHours:Days:0", "Funday", "CheckIns:WorkingHours:Days:0 is 'Funday', which is not a day" },
        { "CheckIns:WorkingHours:Days:0", "Monday, Friday", "CheckIns:WorkingHours:Days:0 is 'Monday, Friday', which is not a day" },
        { "CheckIns:DefaultTimeZone", "Mars/Olympus_Mons", "CheckIns:DefaultTimeZone 'Mars/Olympus_Mons' is not a time zone" },
        { "CheckIns:DefaultTimeZone", "", "DefaultTimeZone" },
        { "CheckIns:ExpireAfter", "2.00:00:00", "CheckIns:ExpireAfter (2.00:00:00) must be longer than CheckIns:ReminderAfter (2.00:00:00) times CheckIns:MaxReminders (1)" },
        { "CheckIns:MaxReminders", "11", "MaxReminders" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Bad_timing_settings_fail_on_start_naming_the_key(string key, string value, string named)
    {
        using var services = Services(Settings(new() { [key] = value }));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CheckInOptions>>().Value);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> GoodSettings => new()
    {
        { "CheckIns:DefaultTimeZone", "Europe/Berlin" },
        { "CheckIns:DefaultTimeZone", "W. Europe Standard Time" },
        { "CheckIns:MaxReminders", "0" },
        { "CheckIns:WorkingHours:End", "09:01" },
        { "CheckIns:WorkingHours:Days:0", " sunday " },
    };

    [Theory]
    [MemberData(nameof(GoodSettings))]
    public void Sensible_timing_settings_are_valid(string key, string value)
    {
        using var services = Services(Settings(new() { [key] = value, ["CheckIns:ExpireAfter"] = "1.00:00:00", ["CheckIns:ReminderAfter"] = "12:00:00" }));

        Assert.NotNull(services.GetRequiredService<IOptions<CheckInOptions>>().Value);
    }

    private static IConfigurationBuilder Settings(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings);

    private static ServiceProvider Services(IConfigurationBuilder configurationBuilder)
    {
        var configuration = configurationBuilder.Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddCheckIns();
        return services.BuildServiceProvider();
    }
}
