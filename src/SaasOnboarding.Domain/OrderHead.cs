namespace SaasOnboarding.Domain;

/// <summary>An order's name and status: the part of a placed order that can change, and its version.</summary>
public sealed record OrderHead(string Name, string Status)
{
    public string Version => Order.VersionOf(Status, Name);
}
