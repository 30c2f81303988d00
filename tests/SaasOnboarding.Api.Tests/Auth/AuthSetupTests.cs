using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
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

    /// <summary>
    /// The authorization services are built once, and the scheme handlers a request uses come from the container's
    /// factories (the bearer and token schemes' handlers, each new per request), not from reflection.
    /// </summary>
    [Fact]
    public void AuthorizationServicesAreSingletonsAndSchemeHandlersComeFromTheContainer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddApiSecurity();

        Assert.All(
            builder.Services.Where(service => service.ServiceType.Namespace is "Microsoft.AspNetCore.Authorization" or "Microsoft.AspNetCore.Authorization.Policy"
                && service.ServiceType.IsInterface && !service.ServiceType.IsGenericType && service.ServiceType != typeof(IAuthorizationRequirement)),
            service => Assert.Equal(ServiceLifetime.Singleton, service.Lifetime));
        foreach (var handler in new[] { typeof(PolicySchemeHandler), typeof(JwtBearerHandler) })
        {
            var registration = Assert.Single(builder.Services, service => service.ServiceType == handler);
            Assert.Equal(ServiceLifetime.Transient, registration.Lifetime);
            Assert.NotNull(registration.ImplementationFactory);
        }
    }

    private static bool FromDataProtection(Type? type) =>
        type?.Assembly.GetName().Name?.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) == true;

    private sealed class Marker;
}
