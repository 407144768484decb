namespace ProcurementBot.TryIt;

public sealed class TryItOptions
{
    public const string Section = "TryIt";

    /// <summary>The local chat page at <c>/</c> and its Direct Line endpoint. Default: on in Development only.</summary>
    public bool? Enabled { get; set; }

    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>($"{Section}:{nameof(Enabled)}") ?? environment.IsDevelopment();
}
