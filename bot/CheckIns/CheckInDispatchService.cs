using Microsoft.Extensions.Options;
using ProcurementBot.Hosting;

namespace ProcurementBot.CheckIns;

/// <summary>Runs the dispatcher on every instance, every <see cref="CheckInOptions.PollInterval"/>.</summary>
internal sealed class CheckInDispatchService(CheckInDispatcher dispatcher, IOptions<CheckInOptions> options, TimeProvider clock, ILogger<CheckInDispatchService> logger)
    : PollingService(clock, logger)
{
    protected override bool Enabled => options.Value.DispatcherEnabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => dispatcher.DispatchStartedAsync(cancellationToken);

    protected override Task DrainAsync() => dispatcher.DrainAsync();
}
