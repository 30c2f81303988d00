using System.Text.Json;
using System.Text.Json.Serialization;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Identity.Local;
using SaasOnboarding.Api.Orders;
using SaasOnboarding.Api.Products;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Tenants;
using SaasOnboarding.Api.Users;
using SaasOnboarding.Api.Webhooks;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// JSON metadata for the API's own request and response types, generated at build time. The app is built for
/// Native AOT, which has no reflection-based serializer (and the project turns it off in the JIT build too,
/// System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault): a type missing here fails its endpoint and the
/// OpenAPI document. The options in <see cref="ApiJson"/> still apply (camelCase, unknown fields refused), and the
/// context is generated with the same ones: System.Text.Json writes a response with the serialization code generated
/// here only when the options it writes with match those the context was generated with, and through each
/// property's metadata otherwise.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(TenantUsersResponse))]
[JsonSerializable(typeof(ListResponse<UserResponse>))]
[JsonSerializable(typeof(OrderRequest))]
[JsonSerializable(typeof(OrderUpdateRequest))]
[JsonSerializable(typeof(OrderResponse))]
[JsonSerializable(typeof(ListResponse<OrderResponse>))]
[JsonSerializable(typeof(ProductRequest))]
[JsonSerializable(typeof(ProductResponse))]
[JsonSerializable(typeof(ListResponse<ProductResponse>))]
[JsonSerializable(typeof(RegistrationRequest))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(UpdateTenantRequest))]
[JsonSerializable(typeof(TenantResponse))]
[JsonSerializable(typeof(ListResponse<TenantResponse>))]
[JsonSerializable(typeof(OwnTenantResponse))]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(NewPasswordRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(ForgotPasswordRequest))]
[JsonSerializable(typeof(ConfirmForgotPasswordRequest))]
[JsonSerializable(typeof(ChallengeResponse))]
[JsonSerializable(typeof(MfaCodeRequest))]
[JsonSerializable(typeof(MfaSetupRequest))]
[JsonSerializable(typeof(MfaSetupResponse))]
[JsonSerializable(typeof(MfaVerifyRequest))]
[JsonSerializable(typeof(MfaDisableRequest))]
[JsonSerializable(typeof(MfaStatusResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(JwksDocument))]
[JsonSerializable(typeof(MailMessage[]))]
[JsonSerializable(typeof(ExportManifest))]
[JsonSerializable(typeof(ExportTenant))]
[JsonSerializable(typeof(ExportUser))]
[JsonSerializable(typeof(ExportProduct))]
[JsonSerializable(typeof(ExportOrder))]
[JsonSerializable(typeof(ExportEnd))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(ListResponse<AuditEntry>))]
[JsonSerializable(typeof(WebhookRequest))]
[JsonSerializable(typeof(ReplayRequest))]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(ListResponse<WebhookResponse>))]
[JsonSerializable(typeof(WebhookDelivery))]
[JsonSerializable(typeof(ListResponse<WebhookDelivery>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
