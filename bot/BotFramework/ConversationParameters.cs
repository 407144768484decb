using System.Text.Json;

namespace ProcurementBot.BotFramework;

public sealed class ConversationParameters
{
    public bool? IsGroup { get; set; }
    public ChannelAccount? Bot { get; set; }
    public List<ChannelAccount>? Members { get; set; }
    public string? TenantId { get; set; }
    public JsonElement? ChannelData { get; set; }
    public Activity? Activity { get; set; }
}
