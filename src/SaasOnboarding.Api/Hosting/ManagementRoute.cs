namespace SaasOnboarding.Api.Hosting;

/// <summary>Endpoint metadata: the management limits apply.</summary>
public sealed class ManagementRoute
{
    public static readonly ManagementRoute Instance = new();

    private ManagementRoute()
    {
    }
}
