using System.Net.Http.Headers;
using SaasOnboarding.Contract.Tests.Generated;
using SaasOnboarding.Contract.Tests.Infrastructure;

namespace SaasOnboarding.Contract.Tests;

/// <summary>
/// The C# client NSwag generates from docs/openapi.json (at build time, see the project file) compiles and drives the
/// app: what an integrator would do with the document.
/// </summary>
[Collection(SharedListeningApp.Name)]
public sealed class GeneratedClientTests(ListeningApp app)
{
    [Fact]
    public async Task AGeneratedClientRegistersSignsInReadsItsTenantAndPlacesAnOrder()
    {
        using var http = app.Client();
        var client = new SaasOnboardingClient(http);

        var registered = await client.RegisterAsync(new RegistrationRequest
        {
            TenantName = "Generated " + Guid.NewGuid().ToString("N")[..8],
            TenantEmail = "owner@generated.test",
            TenantTier = RegistrationRequestTenantTier.Premium,
        });
        var mail = (await client.GetMailboxAsync(limit: 50)).First(message => message.UserName == registered.TenantAdminUserName);

        // The first sign-in answers the challenge; the answer to it, the tokens: both read through one response type.
        var challenge = await client.SignInAsync(new SignInRequest { UserName = registered.TenantAdminUserName, Password = mail.TemporaryPassword });
        Assert.Null(challenge.IdToken);
        Assert.Equal(SignInResponseChallengeName.NEW_PASSWORD_REQUIRED, challenge.ChallengeName);
        var tokens = await client.SetNewPasswordAsync(new NewPasswordRequest
        {
            UserName = registered.TenantAdminUserName,
            Session = challenge.Session,
            NewPassword = "Choose-A-Passw0rd!",
        });
        Assert.False(string.IsNullOrEmpty(tokens.IdToken));
        Assert.False(string.IsNullOrEmpty(tokens.RefreshToken));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.IdToken);

        var tenant = await client.GetTenantAsync(registered.TenantId);
        Assert.Equal(registered.TenantName, tenant.TenantName);
        Assert.Equal(TenantResponseTenantTier.Premium, tenant.TenantTier);

        var product = await client.CreateProductAsync(new ProductRequest { Name = "Blue widget", Sku = "WID-BLUE", Price = 19.99m, Quantity = 5 });
        Assert.Equal(19.99m, product.Price);

        // An error arrives as the documented problem details, extension members included.
        var taken = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() =>
            client.CreateProductAsync(new ProductRequest { Name = "Copy", Sku = "wid-blue", Price = 1m, Quantity = 1 }));
        Assert.Equal(409, taken.StatusCode);
        Assert.Equal("wid-blue", taken.Result.Sku);
        Assert.False(string.IsNullOrEmpty(taken.Result.TraceId));

        var order = await client.CreateOrderAsync(new OrderRequest
        {
            OrderName = "First order",
            OrderProducts = [new OrderLineInput { ProductId = product.Id, Quantity = 2 }],
        });
        Assert.Equal(OrderResponseStatus.Processing, order.Status);
        Assert.Equal(39.98m, order.Total);
        Assert.Equal(3, (await client.GetProductAsync(product.Id)).Quantity);
    }
}
