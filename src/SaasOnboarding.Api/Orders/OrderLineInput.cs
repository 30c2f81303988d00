namespace SaasOnboarding.Api.Orders;

/// <summary>One line of an order as a client sends it.</summary>
/// <param name="ProductId">A product of the caller's tenant.</param>
/// <param name="Quantity">1 to 1,000,000,000.</param>
/// <param name="Price">Accepted because workshop clients send it, and ignored: every line is priced from its product.</param>
public sealed record OrderLineInput(string? ProductId, int? Quantity, decimal? Price = null);
