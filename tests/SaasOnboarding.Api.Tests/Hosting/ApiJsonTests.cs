using System.Text.Json;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Products;

namespace SaasOnboarding.Api.Tests.Hosting;

/// <summary>The generated JSON context and the options the API reads and writes with agree.</summary>
public sealed class ApiJsonTests
{
    /// <summary>
    /// The context is generated with every setting <see cref="ApiJson.Configure"/> makes, so that responses are
    /// written by its generated code; and a response written with the context's own options is the API's.
    /// </summary>
    [Fact]
    public void TheContextIsGeneratedWithTheApisOptions()
    {
        var api = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJson.Configure(api);
        var generated = ApiJsonContext.Default.Options;

        Assert.Same(api.PropertyNamingPolicy, generated.PropertyNamingPolicy);
        Assert.Same(api.DictionaryKeyPolicy, generated.DictionaryKeyPolicy);
        Assert.Equal(api.UnmappedMemberHandling, generated.UnmappedMemberHandling);
        Assert.Equal(api.NumberHandling, generated.NumberHandling);
        Assert.Equal(api.AllowDuplicateProperties, generated.AllowDuplicateProperties);
        Assert.Equal(api.PropertyNameCaseInsensitive, generated.PropertyNameCaseInsensitive);
        Assert.Equal(api.DefaultIgnoreCondition, generated.DefaultIgnoreCondition);

        var page = new ListResponse<ProductResponse>(
            [new ProductResponse("p1", "Lamp", null, "SKU-1", 19.99m, 3, 5, true, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)], null);
        Assert.Equal(
            JsonSerializer.Serialize(page, api.GetTypeInfo(typeof(ListResponse<ProductResponse>))),
            JsonSerializer.Serialize(page, ApiJsonContext.Default.ListResponseProductResponse));
    }
}
