using System.Text.Json.Serialization;
using SaasOnboarding.Api.Auth;
using SaasOnboarding.Api.Identity.Local;
using SaasOnboarding.Api.Orders;
using SaasOnboarding.Api.Products;
using SaasOnboarding.Api.Registration;
using SaasOnboarding.Api.Tenants;
using SaasOnboarding.Api.Users;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// JSON metadata for the API's own request and response types, generated at build time. Endpoints ask for it when
/// the app builds them at start-up, and made by reflection it would lengthen every cold start.
/// The options in <see cref="ApiJson"/> still apply (camelCase, unknown fields refused); types not listed here
/// fall back to reflection, so forgetting one costs time, not behaviour.
/// </summary>
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
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(NewPasswordRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(ChallengeResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(JwksDocument))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
