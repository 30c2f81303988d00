namespace SaasOnboarding.Api.Storage;

/// <summary>
/// How a SQL store changes or deletes an order inside its transaction: load the order's head, ask the domain
/// (<see cref="OrderChanges"/>), give the stock back when the change says so, then save. Each store supplies the
/// loading, the stock and the saving in its own SQL.
/// </summary>
internal static class OrderChangeSteps
{
    /// <param name="current">The order's head as loaded, or null when there is no such order.</param>
    /// <param name="decide">The domain's decision: <see cref="OrderChanges.Update"/> or <see cref="OrderChanges.Delete"/>.</param>
    /// <param name="returnStock">Gives the order's stock back; the product whose stock would pass its bound, or null when done.</param>
    /// <param name="save">Saves the order's next head and answers the write; it runs only when nothing refused the change.</param>
    public static async Task<OrderWrite> ApplyAsync(
        OrderHead? current,
        Func<OrderHead, OrderChanges.Change> decide,
        Func<Task<string?>> returnStock,
        Func<OrderHead, Task<OrderWrite>> save)
    {
        if (current is null)
        {
            return new OrderWrite(WriteOutcome.NotFound);
        }

        var change = decide(current);
        if (change.Refusal is { } refusal)
        {
            return refusal;
        }

        if (change.ReturnsStock && await returnStock() is { } overBound)
        {
            return new OrderWrite(WriteOutcome.BoundExceeded, ProductId: overBound);
        }

        return await save(change.Next);
    }
}
