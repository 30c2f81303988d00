namespace SaasOnboarding.Domain;

public sealed record OrderLineRequest(string ProductId, int Quantity);
