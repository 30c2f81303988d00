using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using SaasOnboarding.Api.Auth;

namespace SaasOnboarding.Api.Tests.Auth;

/// <summary>What registering the app's security leaves in the container, checked without starting an app.</summary>
public sealed class AuthSetupTests
{
    /// <summary>
    /// Data protection goes however it is registered (by its service type or only by its implementation type, keyed
    /// or not), and services of other assemblies stay, keyed ones included.
    /// </summary>
    [Fact]
    public void DataProtectionIsRemovedHoweverItIsRegisteredAndOtherServicesStay()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<object, EphemeralDataProtectionProvider>();
        builder.Services.AddKeyedSingleton<object, EphemeralDataProtectionProvider>("keyed-data-protection");
        builder.Services.AddKeyedSingleton<IDataProtectionProvider, EphemeralDataProtectionProvider>("keyed-by-service");
        builder.Services.AddKeyedSingleton<object, Marker>("other");
        builder.Services.AddSingleton<Marker>();

        builder.AddApiSecurity();

        Assert.DoesNotContain(builder.Services, service => FromDataProtection(service.ServiceType)
            || FromDataProtection(service.IsKeyedService ? service.KeyedImplementationType : service.ImplementationType));
        Assert.Contains(builder.Services, service => service.IsKeyedService && Equals(service.ServiceKey, "other") && service.KeyedImplementationType == typeof(Marker));
        Assert.Contains(builder.Services, service => !service.IsKeyedService && service.ServiceType == typeof(Marker));
    }

    private static bool FromDataProtection(Type? type) =>
        type?.Assembly.GetName().Name?.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) == true;

    private sealed class Marker;
}
