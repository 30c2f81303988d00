using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Identity;
using SaasOnboarding.Api.Identity.Cognito;

namespace SaasOnboarding.Testing;

/// <summary>
/// Two fresh user pools (operations and tenant), their app clients and a seeded system admin in the cognito-local
/// that <c>scripts/services/cognito-local.sh start</c> runs, named by <c>SAAS_TEST_COGNITO_LOCAL</c>. Creating the
/// pools is the operator's job, not the app's, so it is done here with plain JSON 1.1 calls.
/// </summary>
public sealed class CognitoLocalFixture : IAsyncLifetime, IDisposable
{
    public const string ServiceUrlVariable = "SAAS_TEST_COGNITO_LOCAL";
    public const string Region = "eu-west-1";
    public const string AdminUserName = "admin";

    private static readonly string[] EmailDelivery = ["EMAIL"];
    private static readonly string[] PasswordAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public CognitoLocalFixture()
        : this("Adm1n#" + Guid.NewGuid().ToString("N")[..10])
    {
    }

    internal CognitoLocalFixture(string adminPassword)
    {
        AdminPassword = adminPassword;
        ServiceUrl = Environment.GetEnvironmentVariable(ServiceUrlVariable)?.TrimEnd('/')
            ?? throw new InvalidOperationException(
                $"{ServiceUrlVariable} is not set: these tests need cognito-local. Run `eval \"$(scripts/services/cognito-local.sh start)\"` " +
                "(or scripts/test.sh, which does it) and `scripts/services/cognito-local.sh stop` afterwards.");
    }

    public string ServiceUrl { get; }

    /// <summary>The seeded SystemAdmin's password (a permanent one: the operator sets it when creating the pool).</summary>
    public string AdminPassword { get; }

    public CognitoIdentityOptions Options { get; private set; } = new();

    public async Task InitializeAsync()
    {
        var operationsPool = await CreatePoolAsync("operations");
        var tenantPool = await CreatePoolAsync("tenant");
        Options = new CognitoIdentityOptions
        {
            Region = Region,
            OperationsUserPoolId = operationsPool,
            OperationsClientId = await CreateClientAsync(operationsPool),
            TenantUserPoolId = tenantPool,
            TenantClientId = await CreateClientAsync(tenantPool),
            ServiceUrl = ServiceUrl,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        };

        await CallAsync("AdminCreateUser", new
        {
            UserPoolId = operationsPool,
            Username = AdminUserName,
            UserAttributes = new object[]
            {
                new { Name = "email", Value = "admin@example.com" },
                new { Name = "custom:tenantId", Value = Roles.SystemAdminsTenantId },
                new { Name = "custom:userRole", Value = Roles.SystemAdmin },
            },
            DesiredDeliveryMediums = EmailDelivery,
        });
        await SetPasswordAsync(UserPool.Operations, AdminUserName, AdminPassword, permanent: true);
    }

    /// <summary>The configuration the app is given: <c>Identity:Provider=Cognito</c> and the pools' ids.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Identity:Provider"] = "Cognito",
        ["Identity:Cognito:Region"] = Options.Region,
        ["Identity:Cognito:OperationsUserPoolId"] = Options.OperationsUserPoolId,
        ["Identity:Cognito:OperationsClientId"] = Options.OperationsClientId,
        ["Identity:Cognito:TenantUserPoolId"] = Options.TenantUserPoolId,
        ["Identity:Cognito:TenantClientId"] = Options.TenantClientId,
        ["Identity:Cognito:ServiceUrl"] = Options.ServiceUrl,
        ["Identity:Cognito:RetryBaseDelay"] = "00:00:00.005",
    };

    /// <summary>
    /// The app's own registration of the Cognito adapter, with static credentials instead of the default chain
    /// (which would look for an instance role on the network).
    /// </summary>
    public ServiceProvider BuildServices(Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(Settings());
        builder.AddIdentityProvider();
        UseTestCredentials(builder.Services);
        configure?.Invoke(builder.Services);
        return builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static BasicAWSCredentials TestCredentials { get; } = new("AKIDCOGNITOLOCALTEST", "cognito-local-test-secret-key");

    public static void UseTestCredentials(IServiceCollection services, AWSCredentials? credentials = null) =>
        services.Replace(ServiceDescriptor.Singleton(provider =>
            new CognitoRequestSigner(provider.GetRequiredService<IOptions<CognitoIdentityOptions>>(), credentials ?? TestCredentials)));

    public string PoolId(UserPool pool) => pool == UserPool.Operations ? Options.OperationsUserPoolId : Options.TenantUserPoolId;

    public string ClientId(UserPool pool) => pool == UserPool.Operations ? Options.OperationsClientId : Options.TenantClientId;

    /// <summary>
    /// What an administrator does with AdminSetUserPassword: a temporary password keeps the user in
    /// FORCE_CHANGE_PASSWORD (the state Cognito's emailed password leaves it in), a permanent one confirms it.
    /// </summary>
    public Task SetPasswordAsync(UserPool pool, string userName, string password, bool permanent) =>
        CallAsync("AdminSetUserPassword", new { UserPoolId = PoolId(pool), Username = userName, Password = password, Permanent = permanent });

    /// <summary>An app client of the pool other than the app's: its tokens have another audience.</summary>
    /// <summary>
    /// The forgot-password code cognito-local keeps on the user (it emails nothing), read from its data file in
    /// <c>$SAAS_TEST_COGNITO_LOCAL_DIR/.cognito/db/&lt;poolId&gt;.json</c>.
    /// </summary>
    public string ConfirmationCodeOf(UserPool pool, string userName)
    {
        var directory = Environment.GetEnvironmentVariable("SAAS_TEST_COGNITO_LOCAL_DIR")
            ?? throw new InvalidOperationException("SAAS_TEST_COGNITO_LOCAL_DIR is not set: start cognito-local with scripts/services/cognito-local.sh.");
        var pools = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, ".cognito", "db", PoolId(pool) + ".json")))!;
        return (string?)pools["Users"]?[userName]?["ConfirmationCode"]
            ?? throw new InvalidOperationException($"cognito-local holds no code for {userName}.");
    }

    public Task<string> CreateOtherClientAsync(UserPool pool) => CreateClientAsync(PoolId(pool));

    /// <summary>Signs in through another app client, as another application of the same pool would.</summary>
    public async Task<string> SignInWithClientAsync(string clientId, string userName, string password)
    {
        var answer = await CallAsync("InitiateAuth", new
        {
            ClientId = clientId,
            AuthFlow = "USER_PASSWORD_AUTH",
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = userName, ["PASSWORD"] = password },
        });
        return answer["AuthenticationResult"]!["IdToken"]!.GetValue<string>();
    }

    public async Task<JsonNode> CallAsync(string operation, object request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, ServiceUrl + "/")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, request.GetType()))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1") },
            },
        };
        message.Headers.Add("X-Amz-Target", "AWSCognitoIdentityProviderService." + operation);
        using var response = await _http.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"cognito-local refused {operation}: {(int)response.StatusCode} {body}");
        }

        return JsonNode.Parse(string.IsNullOrEmpty(body) ? "{}" : body)!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _http.Dispose();

    private async Task<string> CreatePoolAsync(string name)
    {
        var answer = await CallAsync("CreateUserPool", new
        {
            PoolName = $"saas-{name}-{Guid.NewGuid():N}"[..30],
            Schema = new object[]
            {
                new { Name = "tenantId", AttributeDataType = "String", Mutable = true },
                new { Name = "userRole", AttributeDataType = "String", Mutable = true },
            },
            AdminCreateUserConfig = new { AllowAdminCreateUserOnly = true },

            // TOTP MFA as each user's choice, as template.yaml sets the pools up.
            MfaConfiguration = "OPTIONAL",
        });
        var poolId = answer["UserPool"]!["Id"]!.GetValue<string>();

        // cognito-local answers a group lookup in a pool that has never held a group with a 500, where Cognito
        // answers ResourceNotFoundException; once one group has existed, it answers as Cognito does. So every pool
        // has held one, and a test's first lookup of a missing group behaves like any later one.
        await CallAsync("CreateGroup", new { UserPoolId = poolId, GroupName = "cognito-local-placeholder" });
        await CallAsync("DeleteGroup", new { UserPoolId = poolId, GroupName = "cognito-local-placeholder" });
        return poolId;
    }

    private async Task<string> CreateClientAsync(string poolId)
    {
        var answer = await CallAsync("CreateUserPoolClient", new
        {
            UserPoolId = poolId,
            ClientName = "saas-onboarding",
            GenerateSecret = false,
            ExplicitAuthFlows = PasswordAuthFlows,
        });
        return answer["UserPoolClient"]!["ClientId"]!.GetValue<string>();
    }
}
