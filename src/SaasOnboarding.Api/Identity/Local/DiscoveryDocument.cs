namespace SaasOnboarding.Api.Identity.Local;

public sealed record DiscoveryDocument(
    [property: System.Text.Json.Serialization.JsonPropertyName("issuer")] string Issuer,
    [property: System.Text.Json.Serialization.JsonPropertyName("jwks_uri")] string JwksUri,
    [property: System.Text.Json.Serialization.JsonPropertyName("id_token_signing_alg_values_supported")] string[] SigningAlgorithms,
    [property: System.Text.Json.Serialization.JsonPropertyName("subject_types_supported")] string[] SubjectTypes,
    [property: System.Text.Json.Serialization.JsonPropertyName("response_types_supported")] string[] ResponseTypes,
    [property: System.Text.Json.Serialization.JsonPropertyName("claims_supported")] string[] Claims);
