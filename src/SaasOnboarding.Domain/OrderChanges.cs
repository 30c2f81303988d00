namespace SaasOnboarding.Domain;

/// <summary>
/// Changing and deleting a placed order. The store loads the order's head (and, when <see cref="Change.ReturnsStock"/>,
/// the order's lines and the products they name) in its transaction, asks here, and saves the answer.
/// </summary>
public static class OrderChanges
{
    /// <summary>
    /// A rename and/or a status move. Refused (nothing to save, not even the name) for a stale
    /// <paramref name="expectedVersion"/> (PreconditionFailed) or a move <see cref="OrderStatus.CanMove"/> refuses
    /// (TransitionRefused, with the current status). Moving to cancelled returns the stock.
    /// </summary>
    public static Change Update(OrderHead current, string? orderName, string? status, string? expectedVersion)
    {
        CheckStatus(status);
        if (expectedVersion is not null && current.Version != expectedVersion)
        {
            return Change.Refused(new OrderWrite(WriteOutcome.PreconditionFailed), current);
        }

        if (status is not null && !OrderStatus.CanMove(current.Status, status))
        {
            return Change.Refused(new OrderWrite(WriteOutcome.TransitionRefused, CurrentStatus: current.Status), current);
        }

        var next = new OrderHead(orderName ?? current.Name, status ?? current.Status);
        return new Change(null, next, next.Status == OrderStatus.Cancelled && current.Status != OrderStatus.Cancelled);
    }

    /// <summary>Refuses a status that is not one (null means "unchanged"); a store may ask before it reads anything.</summary>
    public static void CheckStatus(string? status)
    {
        if (status is not null && !OrderStatus.IsKnown(status))
        {
            // Stryker disable once String : the message is for a developer; the API refuses an unknown status first.
            throw new ArgumentException($"'{status}' is not an order status.", nameof(status));
        }
    }

    /// <summary>Deleting: refused for a stale version; a processing order returns its stock.</summary>
    public static Change Delete(OrderHead current, string? expectedVersion) =>
        expectedVersion is not null && current.Version != expectedVersion
            ? Change.Refused(new OrderWrite(WriteOutcome.PreconditionFailed), current)
            : new Change(null, current, OrderStatus.HoldsStock(current.Status));

    /// <param name="Refusal">Why nothing may be saved, or null when the change goes ahead.</param>
    /// <param name="Next">The order's head after the change (unchanged when refused).</param>
    /// <param name="ReturnsStock">Whether the order's stock goes back to its products (<see cref="Stock.Return"/>).</param>
    public sealed record Change(OrderWrite? Refusal, OrderHead Next, bool ReturnsStock)
    {
        internal static Change Refused(OrderWrite refusal, OrderHead current) => new(refusal, current, false);
    }
}
