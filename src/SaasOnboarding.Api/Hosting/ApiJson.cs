using System.Text.Json;
using System.Text.Json.Serialization;

namespace SaasOnboarding.Api.Hosting;

public static class ApiJson
{
    /// <summary>camelCase both ways and unknown request fields refused (no mass assignment).</summary>
    public static WebApplicationBuilder AddApiJson(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        return builder;
    }

    /// <summary>The API's settings; <see cref="ApiJsonContext"/> is generated with the same ones.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.NumberHandling = JsonNumberHandling.Strict;

        // The same property twice (in any case: tenantName and TenantName) is refused, not "last one wins": two
        // readers of one body (a proxy, a validator, this app) must never see different values.
        options.AllowDuplicateProperties = false;
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
    }
}
