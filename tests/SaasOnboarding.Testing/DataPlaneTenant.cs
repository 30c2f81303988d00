namespace SaasOnboarding.Testing;

/// <summary>A registered tenant with its admin and a plain user, tokens for both (<see cref="AppFactory.TokensForAsync"/>), and their clients.</summary>
public sealed class DataPlaneTenant : IDisposable
{
    private DataPlaneTenant(OnboardedTenant tenant, HttpClient admin, HttpClient user)
    {
        Tenant = tenant;
        Admin = admin;
        User = user;
    }

    public OnboardedTenant Tenant { get; }

    public string TenantId => Tenant.TenantId;

    /// <summary>The TenantAdmin's client.</summary>
    public HttpClient Admin { get; }

    /// <summary>A TenantUser's client.</summary>
    public HttpClient User { get; }

    public static async Task<DataPlaneTenant> OnboardAsync(AppFactory app)
    {
        var tenant = await app.OnboardAsync();
        var user = await app.AddUserAsync(tenant.AdminTokens.IdToken, "clerk-" + Guid.NewGuid().ToString("N")[..10]);
        return new DataPlaneTenant(tenant, app.Client(tenant.AdminTokens.IdToken), app.Client(user.IdToken));
    }

    /// <summary>Stocks a product as the tenant admin; answers its id.</summary>
    public async Task<string> StockAsync(string sku, decimal price, int quantity, int backorderedLimit = 0)
    {
        var response = await Admin.PostAsJsonAsync("/product", new { name = "Product " + sku, description = "About " + sku, sku, price, quantity, backorderedLimit });
        await response.ShouldBe(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<int> QuantityOfAsync(string productId) =>
        (await User.GetFromJsonAsync<JsonElement>($"/product/{productId}")).GetProperty("quantity").GetInt32();

    /// <summary>Every item of a listing, following nextToken to the end.</summary>
    public static async Task<List<JsonElement>> ListAllAsync(HttpClient client, string path, int limit = 100)
    {
        var items = new List<JsonElement>();
        string? nextToken = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}limit={limit}" + (nextToken is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(nextToken)));
            items.AddRange(page.GetProperty("items").EnumerateArray());
            nextToken = page.GetProperty("nextToken").GetString();
        }
        while (nextToken is not null);
        return items;
    }

    public void Dispose()
    {
        Admin.Dispose();
        User.Dispose();
    }
}
