namespace ProcurementBot.People;

/// <summary>
/// A directory a channel can search by email, so a purchase reaches someone who never wrote to the bot (Slack's
/// <c>users.lookupByEmail</c>). An implementation stores the person it finds and returns them; null when the
/// directory does not know the address or the channel is off. It throws when the directory could not be asked.
/// </summary>
public interface IDirectoryLookup
{
    Task<Person?> FindByEmailAsync(string email, CancellationToken cancellationToken);
}
