namespace SaasOnboarding.Domain;

public sealed record Order(
    string Id,
    string OrderName,
    DateTimeOffset CreationDate,
    string Status,
    IReadOnlyList<OrderLine> OrderProducts)
{
    public decimal Total => OrderProducts.Sum(line => line.Price * line.Quantity);

    /// <summary>
    /// What the entity tag is made from. The lines of a placed order never change, so its name and status are
    /// all of it that can; equal versions mean equal orders.
    /// </summary>
    public string Version => VersionOf(Status, OrderName);

    public static string VersionOf(string status, string orderName) => status + ":" + orderName;
}
