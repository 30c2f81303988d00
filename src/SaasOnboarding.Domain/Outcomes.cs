namespace SaasOnboarding.Domain;

/// <summary>What a write did.</summary>
public enum WriteOutcome
{
    /// <summary>Written.</summary>
    Done,

    /// <summary>No such product or order in this tenant; nothing written.</summary>
    NotFound,

    /// <summary>The SKU is taken in this tenant (ignoring case); nothing written.</summary>
    Conflict,

    /// <summary>The order's status may not move to the one asked for; nothing written.</summary>
    TransitionRefused,

    /// <summary>The write would push a stored value past a bound of <see cref="DataPlaneLimits"/>; nothing written.</summary>
    BoundExceeded,

    /// <summary>The stored version is not the one the caller expected (a stale <c>If-Match</c>); nothing written.</summary>
    PreconditionFailed,
}

/// <summary>Creating an order: either the order, or why not (a missing product, or too little stock).</summary>
public sealed record OrderCreation(Order? Order, string? MissingProductId = null, string? ShortProductId = null, long Available = 0);

/// <summary>A product write: the product as written when <see cref="Outcome"/> is Done.</summary>
public sealed record ProductWrite(WriteOutcome Outcome, Product? Product = null);

/// <summary>
/// An order write: the order as written when <see cref="Outcome"/> is Done; the status it has when a move was
/// refused (<see cref="CurrentStatus"/>); the product whose stock would pass its bound (<see cref="ProductId"/>).
/// </summary>
public sealed record OrderWrite(WriteOutcome Outcome, Order? Order = null, string? CurrentStatus = null, string? ProductId = null);
