namespace SaasOnboarding.Domain;

/// <summary>One product's share of an order: the sum of the quantities of the lines that name it.</summary>
public sealed record ProductQuantity(string ProductId, long Quantity);
