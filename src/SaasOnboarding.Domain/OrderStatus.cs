namespace SaasOnboarding.Domain;

/// <summary>The statuses of an order, and the moves between them.</summary>
public static class OrderStatus
{
    public const string Processing = "processing";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Processing, Shipped, Delivered, Cancelled];

    /// <summary>The moves allowed, as <c>from&gt;to</c>: delivered and cancelled are final.</summary>
    public static readonly IReadOnlyList<string> Moves =
        [Processing + ">" + Shipped, Shipped + ">" + Delivered, Processing + ">" + Cancelled, Shipped + ">" + Cancelled];

    public static bool IsKnown(string status) => All.Contains(status);

    /// <summary>Whether an order may go from <paramref name="from"/> to <paramref name="to"/>; staying put is always allowed.</summary>
    public static bool CanMove(string from, string to) => from == to || Moves.Contains(from + ">" + to);

    /// <summary>
    /// Whether an order in <paramref name="status"/> holds stock that has not left the warehouse: a processing
    /// order. A cancelled one gave it back already; a shipped or delivered one took it for real.
    /// </summary>
    public static bool HoldsStock(string status) => status == Processing;
}
