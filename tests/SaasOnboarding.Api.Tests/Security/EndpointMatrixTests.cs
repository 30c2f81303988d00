using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace SaasOnboarding.Api.Tests.Security;

/// <summary>
/// Calls every mapped endpoint as each kind of caller and checks the answer against one table. An endpoint that is
/// not in the table fails the test, so a new route cannot ship without a decision about who may call it.
/// </summary>
[Collection(SharedEmbeddedApp.Name)]
public sealed class EndpointMatrixTests(EmbeddedApp shared)
{
    private const int Anyone = 0;

    private static readonly string[] Callers = ["anonymous", "tenantUser", "tenantAdmin", "otherTenantAdmin", "systemAdmin"];

    /// <summary>Expected status per caller, in the order of <see cref="Callers"/>. Resources belong to tenant A.</summary>
    private static readonly Dictionary<string, int[]> Expected = new(StringComparer.Ordinal)
    {
        ["POST /registration/"] = [400, 400, 400, 400, 400],
        ["POST /auth/signin"] = [400, 400, 400, 400, 400],
        ["POST /auth/new-password"] = [400, 400, 400, 400, 400],
        ["POST /auth/refresh"] = [400, 400, 400, 400, 400],
        ["POST /auth/forgot-password"] = [400, 400, 400, 400, 400],
        ["POST /auth/confirm-forgot-password"] = [400, 400, 400, 400, 400],
        ["POST /auth/change-password"] = [401, 400, 400, 400, 400],
        ["POST /auth/mfa"] = [400, 400, 400, 400, 400],
        ["POST /auth/mfa/setup"] = [400, 400, 400, 400, 400],
        ["POST /auth/mfa/setup/verify"] = [400, 400, 400, 400, 400],
        ["GET /auth/mfa"] = [401, 200, 200, 200, 200],
        ["POST /auth/mfa/disable"] = [401, 400, 400, 400, 400],
        ["GET /health"] = [200, 200, 200, 200, 200],
        ["GET /health/ready"] = [200, 200, 200, 200, 200],
        ["GET /openapi/v1.json"] = [200, 200, 200, 200, 200],
        ["GET /dev/mailbox"] = [200, 200, 200, 200, 200],
        ["GET /local-idp/{poolId}/.well-known/jwks.json"] = [200, 200, 200, 200, 200],
        ["GET /local-idp/{poolId}/.well-known/openid-configuration"] = [200, 200, 200, 200, 200],

        ["GET /tenants"] = [401, 403, 403, 403, 200],
        ["GET /tenant"] = [401, 200, 200, 200, 403],
        ["GET /tenant/{tenantId}"] = [401, 403, 200, 404, 200],
        ["PUT /tenant/{tenantId}"] = [401, 403, 200, 404, 200],
        ["DELETE /tenant/{tenantId}"] = [401, 403, 200, 404, 200],
        ["PUT /tenant/activation/{tenantId}"] = [401, 403, 403, 403, 200],
        ["GET /tenant/{tenantId}/export"] = [401, 403, 200, 404, 200],
        ["POST /tenants/import"] = [401, 403, 403, 403, 400],

        // Offboarding is started in a world of its own (FreshWorld); cancelling a tenant that is not offboarding is 409.
        ["POST /tenant/{tenantId}/offboarding"] = [401, 403, 200, 404, 200],
        ["DELETE /tenant/{tenantId}/offboarding"] = [401, 403, 403, 403, 409],

        ["POST /user"] = [401, 403, 201, 201, 201],
        ["GET /users"] = [401, 403, 200, 200, 200],
        ["GET /user/{userName}"] = [401, 200, 200, 404, 200],
        ["PUT /user/{userName}"] = [401, 403, 200, 404, 200],
        ["DELETE /user/{userName}"] = [401, 403, 200, 404, 200],
        ["POST /user/{userName}/enable"] = [401, 403, 200, 404, 200],

        // The world's user is enabled: removing it is refused until it is disabled.
        ["POST /user/{userName}/remove"] = [401, 403, 409, 404, 409],

        // Sent to a user of tenant A that has not signed in yet (World.InviteeName).
        ["POST /user/{userName}/invitation"] = [401, 403, 200, 404, 200],
        ["PUT /users/disable/{tenantId}"] = [401, 403, 403, 403, 200],
        ["PUT /users/enable/{tenantId}"] = [401, 403, 403, 403, 200],

        ["GET /products"] = [401, 200, 200, 200, 403],
        ["POST /product"] = [401, 403, 201, 201, 403],
        ["GET /product/{id}"] = [401, 200, 200, 404, 403],
        ["PUT /product/{id}"] = [401, 403, 200, 404, 403],
        ["DELETE /product/{id}"] = [401, 403, 204, 404, 403],

        ["GET /orders"] = [401, 200, 200, 200, 403],
        ["POST /order"] = [401, 201, 201, 404, 403],
        ["GET /order/{id}"] = [401, 200, 200, 404, 403],
        ["PUT /order/{id}"] = [401, 200, 200, 404, 403],
        ["DELETE /order/{id}"] = [401, 403, 204, 404, 403],

        ["GET /audit"] = [401, 403, 200, 200, 200],

        // Provider staff only; the world holds no webhook, so the routes of one answer 404 (an empty body 400).
        ["POST /webhooks"] = [401, 403, 403, 403, 400],
        ["GET /webhooks"] = [401, 403, 403, 403, 200],
        ["GET /webhooks/{webhookId}"] = [401, 403, 403, 403, 404],
        ["DELETE /webhooks/{webhookId}"] = [401, 403, 403, 403, 404],
        ["POST /webhooks/{webhookId}/test"] = [401, 403, 403, 403, 404],
        ["GET /webhooks/{webhookId}/deliveries"] = [401, 403, 403, 403, 404],
        ["POST /webhooks/{webhookId}/replay"] = [401, 403, 403, 403, 404],

        // The Lambda Web Adapter's pass-through path: no caller's, whatever its token (LambdaScheduleTests).
        ["POST /internal/events"] = [404, 404, 404, 404, 404],
    };

    /// <summary>Calls that change who may call come last, so that they do not change the answers of the others.</summary>
    private static readonly string[] Last =
    [
        "DELETE /product/{id}", "DELETE /order/{id}", "DELETE /user/{userName}", "PUT /users/disable/{tenantId}",
        "PUT /users/enable/{tenantId}", "PUT /tenant/activation/{tenantId}", "DELETE /tenant/{tenantId}",
    ];

    /// <summary>
    /// Calls that would change the answers of every call after them, whatever the order (starting offboarding
    /// refuses the tenant admin's token as deactivating does): each is made in a world of its own.
    /// </summary>
    private static readonly string[] FreshWorld = ["POST /tenant/{tenantId}/offboarding"];

    /// <summary>
    /// The same walk also reads the audit log after each call that changes something (POST, PUT, DELETE): exactly
    /// one new entry, in the catalog's log or the tenant database's (a product's or order's change), naming the
    /// route, the caller (anonymous without a token) and the outcome its answer was.
    /// </summary>
    [Fact]
    public Task EveryEndpointAnswersEveryKindOfCallerAsTheTableSays() =>
        CallEveryEndpointAsync(shared, (shared.Services.GetRequiredService<ITenantCatalog>(), shared.Services.GetRequiredService<ITenantDatabases>()));

    /// <summary>The same table, against the app published with Native AOT (its routes read from the in-process app).</summary>
    [Fact]
    public async Task EveryEndpointOfTheAotAppAnswersEveryKindOfCallerAsTheTableSays()
    {
        using var app = new AotApp();
        await app.InitializeAsync();
        await CallEveryEndpointAsync(app);
    }

    private async Task CallEveryEndpointAsync(AppFactory app, (ITenantCatalog Catalog, ITenantDatabases Databases)? audit = null)
    {
        var endpoints = Endpoints();
        Assert.Empty(endpoints.Where(endpoint => !Expected.ContainsKey(endpoint)).Select(endpoint => "not in the table: " + endpoint));
        Assert.Empty(Expected.Keys.Where(key => !endpoints.Contains(key)).Select(key => "in the table but not mapped: " + key));

        var failures = new List<string>();
        var checkedCalls = 0;
        for (var caller = 0; caller < Callers.Length; caller++)
        {
            // A world of its own per caller (its own tenants, users, product and order): destructive calls of one
            // caller cannot change another's answers.
            var shared = await World.CreateAsync(app);
            foreach (var endpoint in endpoints.OrderBy(endpoint => Array.IndexOf(Last, endpoint)))
            {
                var world = FreshWorld.Contains(endpoint) ? await World.CreateAsync(app) : shared;
                using var client = app.Client(world.TokenOf(caller));
                var before = DateTimeOffset.UtcNow;
                var response = await client.SendAsync(world.Request(endpoint, Callers[caller]));
                var expected = Expected[endpoint][caller];
                checkedCalls++;
                if ((int)response.StatusCode != expected)
                {
                    failures.Add($"{endpoint} as {Callers[caller]}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                if (audit is ({ } catalog, { } databases) && !endpoint.StartsWith("GET ", StringComparison.Ordinal))
                {
                    var since = new AuditQuery(From: before);
                    var entries = (await catalog.ListAuditAsync(since, 10, null, CancellationToken.None)).Items
                        .Concat(await databases.Open(world.TenantId).ListAuditAsync(since, 10, CancellationToken.None))
                        .Concat(await databases.Open(world.OtherTenantId).ListAuditAsync(since, 10, CancellationToken.None))
                        .ToList();
                    var outcome = (int)response.StatusCode < 400 ? AuditOutcomes.Succeeded : AuditOutcomes.Refused;
                    if (entries is not [{ } entry] || entry.Action != endpoint || entry.Actor != world.UserNameOf(caller) || entry.Outcome != outcome)
                    {
                        failures.Add($"{endpoint} as {Callers[caller]}: expected one audit entry ({world.UserNameOf(caller)}, {outcome}), got "
                            + string.Join("; ", entries.Select(e => $"{e.Action} by {e.Actor}: {e.Outcome} {e.Status}")));
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(Expected.Count * Callers.Length, checkedCalls);
        MatrixFigures.Record(Expected.Count, Callers.Length);
    }

    /// <summary>Every write of a resource that carries an ETag, as a caller allowed to make it, with a stale If-Match: 412.</summary>
    [Fact]
    public async Task EveryConditionalWriteAnswers412ToAStaleTag()
    {
        string[] conditional =
        [
            "PUT /tenant/{tenantId}", "PUT /tenant/activation/{tenantId}", "PUT /user/{userName}", "DELETE /user/{userName}", "POST /user/{userName}/remove",
            "PUT /product/{id}", "DELETE /product/{id}", "PUT /order/{id}", "DELETE /order/{id}", "DELETE /tenant/{tenantId}",
            "POST /tenant/{tenantId}/offboarding", "DELETE /tenant/{tenantId}/offboarding",
        ];
        var world = await World.CreateAsync(shared);
        var failures = new List<string>();
        foreach (var endpoint in conditional)
        {
            var caller = endpoint is "PUT /tenant/activation/{tenantId}" or "DELETE /tenant/{tenantId}/offboarding" ? "systemAdmin" : "tenantAdmin";
            using var client = shared.Client(caller == "systemAdmin" ? world.SystemToken : world.AdminToken);
            using var request = world.Request(endpoint, caller);
            request.Headers.TryAddWithoutValidation("If-Match", "\"stale\"");
            var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.PreconditionFailed)
            {
                failures.Add($"{endpoint}: expected 412, got {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void EveryAuthenticatedRouteIsRateLimited()
    {
        var unlimited = shared.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(endpoint => endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>() is null && endpoint.Metadata.GetMetadata<ManagementRoute>() is null)
            .Select(endpoint => endpoint.DisplayName)
            .ToList();
        Assert.True(unlimited.Count == 0, "Not rate-limited: " + string.Join(", ", unlimited));
    }

    /// <summary>
    /// The audit pages show actions in words (wwwroot/js/labels.js): every route that changes something, and so writes
    /// an entry, has its words there, so that no page falls back to showing a route.
    /// </summary>
    [Fact]
    public void EveryRouteThatChangesSomethingHasItsWordsOnTheAuditPages()
    {
        var labels = File.ReadAllText(Path.Combine(TestFigures.RepositoryRoot(), "src", "SaasOnboarding.Api", "wwwroot", "js", "labels.js"));

        var missing = Endpoints().Where(endpoint => !endpoint.StartsWith("GET ", StringComparison.Ordinal) && !labels.Contains($"['{endpoint}', ", StringComparison.Ordinal));

        Assert.Empty(missing);
    }

    private List<string> Endpoints() => shared.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(method => method + " /" + endpoint.RoutePattern.RawText!.TrimStart('/')))
        .Distinct()
        .ToList();

    /// <summary>Tenant A (an admin, a plain user, a product, an order) and tenant B (an admin), with tokens for each.</summary>
    private sealed record World(
        string TenantId,
        string UserName,
        string InviteeName,
        string ProductId,
        string OrderId,
        string AdminToken,
        string UserToken,
        string OtherAdminToken,
        string SystemToken,
        string AdminUserName,
        string OtherAdminUserName,
        string OtherTenantId)
    {
        public static async Task<World> CreateAsync(AppFactory app)
        {
            var a = await app.OnboardAsync();
            var b = await app.OnboardAsync();
            var userName = "matrix-" + a.TenantId[..8];
            var user = await app.AddUserAsync(a.AdminTokens.IdToken, userName);
            using var admin = app.Client(a.AdminTokens.IdToken);
            var inviteeName = "invitee-" + a.TenantId[..8];
            await (await admin.PostAsJsonAsync("/user", new { userName = inviteeName, userEmail = "invitee@example.com", userRole = "TenantUser" })).ShouldBe(HttpStatusCode.Created);
            var product = await admin.PostAsJsonAsync("/product", new { name = "Pen", sku = "PEN-1", price = 1.50m, quantity = 100, backorderedLimit = 5 });
            await product.ShouldBe(HttpStatusCode.Created);
            var productId = (await product.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var order = await admin.PostAsJsonAsync("/order", new { orderName = "First", orderProducts = new[] { new { productId, quantity = 1 } } });
            await order.ShouldBe(HttpStatusCode.Created);
            var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var system = await app.SystemAdminAsync();
            return new World(
                a.TenantId, userName, inviteeName, productId, orderId, a.AdminTokens.IdToken, user.IdToken, b.AdminTokens.IdToken, system.IdToken, a.AdminUserName, b.AdminUserName, b.TenantId);
        }

        /// <summary>The token of the caller at <paramref name="index"/> in <see cref="Callers"/> (none for anonymous).</summary>
        public string? TokenOf(int index) => index switch
        {
            0 => null,
            1 => UserToken,
            2 => AdminToken,
            3 => OtherAdminToken,
            _ => SystemToken,
        };

        /// <summary>The user name of the caller at <paramref name="index"/> in <see cref="Callers"/>, as the audit log names it.</summary>
        public string UserNameOf(int index) => index switch
        {
            0 => "anonymous",
            1 => UserName,
            2 => AdminUserName,
            3 => OtherAdminUserName,
            _ => "admin",
        };

        public HttpRequestMessage Request(string endpoint, string caller)
        {
            var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
            var method = new HttpMethod(endpoint[..space]);
            var route = endpoint[(space + 1)..];
            var id = route.StartsWith("/order", StringComparison.Ordinal) ? OrderId : ProductId;
            var path = route
                .Replace("{tenantId}", TenantId, StringComparison.Ordinal)
                .Replace("{userName}", endpoint == "POST /user/{userName}/invitation" ? InviteeName : UserName, StringComparison.Ordinal)
                .Replace("{poolId}", "local_tenant", StringComparison.Ordinal)
                .Replace("{id}", id, StringComparison.Ordinal)
                .Replace("{webhookId}", Guid.CreateVersion7().ToString(), StringComparison.Ordinal);
            var unique = Guid.NewGuid().ToString("N")[..10];
            object? body = endpoint switch
            {
                "POST /registration/" or "POST /auth/signin" or "POST /auth/new-password" or "POST /auth/refresh"
                    or "POST /auth/forgot-password" or "POST /auth/confirm-forgot-password" or "POST /auth/change-password"
                    or "POST /auth/mfa" or "POST /auth/mfa/setup" or "POST /auth/mfa/setup/verify" or "POST /auth/mfa/disable" => new { },
                "PUT /tenant/{tenantId}" => new { tenantAddress = "Matrix Street " + caller },
                "POST /user" => new { userName = "m-" + unique, userEmail = "m@example.com", userRole = "TenantUser", tenantId = TenantId },
                "PUT /user/{userName}" => new { userEmail = caller + "@example.com" },
                "POST /product" or "PUT /product/{id}" => new { name = "Ink", sku = "INK-" + unique, price = 2.25m, quantity = 10, backorderedLimit = 1 },
                "POST /order" => new { orderName = "Matrix", orderProducts = new[] { new { productId = ProductId, quantity = 1 } } },
                "PUT /order/{id}" => new { orderName = "Renamed by " + caller },
                "POST /webhooks" => new { },
                "POST /webhooks/{webhookId}/replay" => new { eventId = Guid.CreateVersion7().ToString() },
                _ => null,
            };
            var request = new HttpRequestMessage(method, path.TrimEnd('/') is "" ? "/" : path);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }
            else if (endpoint == "POST /tenants/import")
            {
                // An empty bundle: refused (400) by a caller who may import, after the policy has let it through.
                request.Content = new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/x-ndjson");
            }

            return request;
        }
    }
}
