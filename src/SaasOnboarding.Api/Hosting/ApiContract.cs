using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using SaasOnboarding.Api.Tenants;

namespace SaasOnboarding.Api.Hosting;

/// <summary>
/// What the generated OpenAPI document cannot know from handler signatures: every status the pipeline answers
/// (authentication, rate limits, body limits, the startup gate), open problem details with their extension members,
/// the token answers, optional request fields, allowed values, examples, and the health routes.
/// </summary>
internal static class ApiContract
{
    private const string ProblemJson = "application/problem+json";
    private const string Json = "application/json";

    /// <summary>Tags in the order Swagger UI lists them.</summary>
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Registration", "Public sign-up of a new tenant: its database, its group and its first admin, all or nothing."),
        ("Auth", "Sign-in for both user pools: password, the first sign-in's new password, refresh, forgotten and changed passwords. Answers the ID token to send as the bearer token."),
        ("Tenants", "Tenant management: provider staff manage every tenant, a tenant admin its own."),
        ("Users", "Users of the tenant pool: a tenant admin manages its own tenant's, provider staff anyone's."),
        ("Products", "The caller's tenant's product catalogue, in the tenant's own database."),
        ("Orders", "The caller's tenant's orders, priced from its products, stock taken in one transaction."),
        ("Audit", "The audit log: who changed what, when, from where and with what outcome. Provider staff read all of it, a tenant admin its tenant's."),
        ("Health", "Liveness and readiness, for load balancers and orchestrators."),
        ("Local identity provider", "The built-in identity provider's discovery documents and keys, and (in Development) the dev mailbox."),
    ];

    /// <summary>Request fields a client may leave out, per schema: the rest of each schema's fields are required.</summary>
    private static readonly Dictionary<string, string[]> OptionalFields = new(StringComparer.Ordinal)
    {
        ["RegistrationRequest"] = ["tenantAddress", "tenantPhone"],
        ["SignInRequest"] = ["pool"],
        ["NewPasswordRequest"] = ["pool"],
        ["RefreshRequest"] = ["pool"],
        ["ForgotPasswordRequest"] = ["pool"],
        ["ConfirmForgotPasswordRequest"] = ["pool"],
        ["MfaCodeRequest"] = ["pool"],
        ["MfaSetupRequest"] = ["password", "session", "pool"],
        ["MfaVerifyRequest"] = ["pool"],
        ["MfaDisableRequest"] = ["password", "code"],
        ["UpdateTenantRequest"] = ["tenantName", "tenantEmail", "tenantPhone", "tenantAddress", "tenantTier"],
        ["CreateUserRequest"] = ["tenantId"],
        ["UpdateUserRequest"] = ["userRole"],
    };

    /// <summary>Allowed values by property name; a property that may be null also allows null.</summary>
    private static readonly Dictionary<string, string[]> AllowedValues = new(StringComparer.Ordinal)
    {
        ["pool"] = ["tenant", "operations"],
        ["tenantTier"] = [.. TenantTiers.All],
        ["userRole"] = [Roles.TenantAdmin, Roles.TenantUser],
        ["orderStatus"] = [.. OrderStatus.All],
        ["challengeName"] = Identity.Challenges.All,
    };

    /// <summary>Examples by property name, so that Swagger UI's sample bodies are ones the API accepts.</summary>
    private static readonly Dictionary<string, JsonNode> Examples = new(StringComparer.Ordinal)
    {
        ["tenantName"] = "Acme",
        ["tenantEmail"] = "owner@acme.test",
        ["tenantPhone"] = "+1 555 0100",
        ["tenantAddress"] = "1 Main Street, Springfield",
        ["tenantId"] = "3f2b8c1d9e7a4b6c8d0e1f2a3b4c5d6e",
        ["tenantAdminUserName"] = "tenant-admin-3f2b8c1d9e7a4b6c8d0e1f2a3b4c5d6e",
        ["userName"] = "jane.doe",
        ["userEmail"] = "jane@acme.test",
        ["email"] = "jane@acme.test",
        ["password"] = "Choose-A-Passw0rd!",
        ["newPassword"] = "Choose-A-Passw0rd!",
        ["previousPassword"] = "Old-Passw0rd!",
        ["code"] = "123456",
        ["name"] = "Blue widget",
        ["sku"] = "WID-BLUE-01",
        ["description"] = "A small blue widget.",
        ["price"] = 19.99m,
        ["quantity"] = 10,
        ["backorderedLimit"] = 2,
        ["orderName"] = "First order",
        ["productId"] = "01J9Z3Q4W5E6R7T8Y9U0I1O2P3",
    };

    /// <summary>The extension members problem details carry besides RFC 9457's own.</summary>
    private static readonly (string Name, JsonSchemaType Type, string Description)[] ProblemExtensions =
    [
        ("traceId", JsonSchemaType.String, "Identifies the request in the app's logs; quote it when reporting a problem."),
        ("field", JsonSchemaType.String, "The request field the problem is about (409 for a taken name, a refused tier, an order's status or quantity, a tenant's status)."),
        ("sku", JsonSchemaType.String, "The SKU another product of the tenant already has (409)."),
        ("productId", JsonSchemaType.String, "The product that is missing (404) or short of stock (409)."),
        ("orderId", JsonSchemaType.String, "The order the problem is about."),
        ("orderStatus", JsonSchemaType.String, "The order's current status, when a status change is refused (409)."),
        ("available", JsonSchemaType.Integer, "The units of the product in stock, when an order asks for more (409)."),
    ];

    private static readonly Dictionary<string, string> StatusDescriptions = new(StringComparer.Ordinal)
    {
        ["400"] = "The request is not valid: `errors` names each field that is wrong.",
        ["401"] = "No valid token, or (on sign-in) a wrong user name, password, session or refresh token.",
        ["403"] = "The caller's role may not do this, or its tenant is deactivated.",
        ["404"] = "There is no such resource (another tenant's resources answer this too).",
        ["409"] = "The request conflicts with the current state; the body says with what.",
        ["412"] = "`If-Match` names a version that is no longer current: nothing changed.",
        ["413"] = "The request body is larger than 64 KiB (256 MiB for `POST /tenants/import`).",
        ["415"] = "The request body is not `application/json` (`application/x-ndjson` for `POST /tenants/import`).",
        ["429"] = "Too many requests: retry after the seconds in `Retry-After`.",
        ["500"] = "An unexpected error; quote the trace id when reporting it.",
        ["503"] = "Storage or the identity provider is unavailable, or the app has not finished starting: retry later.",
    };

    /// <summary>Statuses particular to an operation, beyond those the pipeline adds to every operation of its kind.</summary>
    private static readonly Dictionary<string, string[]> OperationStatuses = new(StringComparer.Ordinal)
    {
        ["Register"] = ["409"],
        ["SignIn"] = ["401"],
        ["SetNewPassword"] = ["401"],
        ["Refresh"] = ["401"],
        ["RespondToMfa"] = ["401"],
        ["BeginMfaSetup"] = ["401", "409"],
        ["EnableUser"] = ["404", "409", "412"],
        ["ResendInvitation"] = ["404", "409"],
        ["GetTenant"] = ["404"],
        ["ExportTenant"] = ["404"],
        ["ImportTenant"] = ["409"],
        ["UpdateTenant"] = ["404", "409", "412"],
        ["DeactivateTenant"] = ["404", "409", "412"],
        ["ActivateTenant"] = ["404", "409", "412"],
        ["StartOffboarding"] = ["404", "409"],
        ["CancelOffboarding"] = ["404", "409"],
        ["CreateUser"] = ["404", "409"],
        ["ListUsers"] = ["404"],
        ["GetUser"] = ["404"],
        ["UpdateUser"] = ["404", "409", "412"],
        ["DisableUser"] = ["404", "409", "412"],
        ["DisableTenantUsers"] = ["404"],
        ["EnableTenantUsers"] = ["404", "409"],
        ["GetJwks"] = ["404"],
        ["GetDiscoveryDocument"] = ["404"],
    };

    /// <summary>Operations that take <c>If-Match</c>.</summary>
    private static readonly HashSet<string> Conditional = new(StringComparer.Ordinal)
    {
        "UpdateTenant", "DeactivateTenant", "ActivateTenant", "StartOffboarding", "CancelOffboarding", "UpdateUser", "DisableUser", "EnableUser",
        "UpdateProduct", "DeleteProduct", "UpdateOrder", "DeleteOrder",
    };

    /// <summary>Operations whose success answers an <c>ETag</c>.</summary>
    private static readonly HashSet<string> Tagged = new(StringComparer.Ordinal)
    {
        "GetTenant", "UpdateTenant", "DeactivateTenant", "ActivateTenant", "StartOffboarding", "CancelOffboarding", "GetUser", "UpdateUser", "DisableUser", "EnableUser",
        "CreateProduct", "GetProduct", "UpdateProduct", "CreateOrder", "GetOrder", "UpdateOrder",
    };

    public static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var schemas = document.Components.Schemas;
        DescribeProblems(schemas);
        DescribeTokens(schemas);

        // SignInResponse describes it along with the tokens.
        schemas.Remove("ChallengeResponse");
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        foreach (var (name, schema) in schemas)
        {
            if (schema is OpenApiSchema concrete)
            {
                DescribeFields(name, concrete);
            }
        }

        var descriptions = context.DescriptionGroups.SelectMany(group => group.Items).ToList();
        foreach (var (path, item) in document.Paths)
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var description = descriptions.FirstOrDefault(candidate =>
                    string.Equals(candidate.HttpMethod, method.Method, StringComparison.OrdinalIgnoreCase)
                    && "/" + candidate.RelativePath?.TrimEnd('/') == path.TrimEnd('/'));
                if (description is not null)
                {
                    DescribeOperation(document, operation, description.ActionDescriptor.EndpointMetadata);
                }
            }
        }

        AddHealth(document);
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(tag => new OpenApiTag { Name = tag.Name, Description = tag.Description }));
        return Task.CompletedTask;
    }

    private static void DescribeOperation(OpenApiDocument document, OpenApiOperation operation, IList<object> metadata)
    {
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        operation.OperationId ??= metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName ?? handler?.Name;
        var id = operation.OperationId ?? string.Empty;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (anonymous)
        {
            // An empty requirement: no credentials needed (an empty list would be left out of the written document).
            operation.Security = [new OpenApiSecurityRequirement()];
        }

        operation.Responses ??= [];
        var statuses = new List<string>();
        // The body limit applies to every request, whatever its route.
        statuses.Add("413");
        if (operation.RequestBody is not null)
        {
            statuses.AddRange(["400", "415"]);
        }

        if (operation.Parameters?.Any(parameter => parameter.In == ParameterLocation.Query) == true)
        {
            statuses.Add("400");
        }

        if (!anonymous)
        {
            statuses.AddRange(["401", "403"]);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any() || metadata.OfType<ManagementRoute>().Any())
        {
            statuses.Add("429");
        }

        if (Conditional.Contains(id))
        {
            statuses.Add("412");
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Description = "An `ETag` this API answered: the change happens only if the resource is still at that version (else 412).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        statuses.AddRange(OperationStatuses.GetValueOrDefault(id, []));
        statuses.AddRange(["500", "503"]);
        foreach (var status in statuses.Distinct().Order(StringComparer.Ordinal))
        {
            operation.Responses[status] = Problem(document, status);
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name == "limit" && parameter.Schema is OpenApiSchema limit && id != "GetMailbox")
            {
                limit.Minimum = "1";
                limit.Maximum = Paging.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                limit.Default = Paging.DefaultLimit;
                parameter.Description = $"Items per page, 1 to {Paging.MaxLimit}.";
            }
            else if (parameter.Name == "nextToken")
            {
                parameter.Description = "The `nextToken` of the previous page; leave it out for the first page.";
            }
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is not OpenApiResponse success || !status.StartsWith('2'))
            {
                continue;
            }

            if (status == "201")
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                success.Headers["Location"] = Header("Where the new resource is read, under the API's public base path.");
            }

            if (Tagged.Contains(id))
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                success.Headers["ETag"] = Header("The resource's version: send it back in `If-Match` to make a later change conditional.");
            }
        }

        if (id is "SignIn" or "SetNewPassword" or "RespondToMfa" or "Refresh" && operation.Responses.TryGetValue("200", out var answer) && answer is OpenApiResponse tokens)
        {
            tokens.Description = id == "Refresh" ? "New ID and access tokens." : "Tokens, or a challenge to answer first (`challengeName`).";
            tokens.Content = new Dictionary<string, OpenApiMediaType>
            {
                [Json] = new() { Schema = new OpenApiSchemaReference(id == "Refresh" ? "TokenResponse" : "SignInResponse", document) },
            };
        }
    }

    private static OpenApiResponse Problem(OpenApiDocument document, string status)
    {
        var response = new OpenApiResponse
        {
            Description = StatusDescriptions[status],
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(status == "400" ? "HttpValidationProblemDetails" : "ProblemDetails", document) },
            },
        };
        if (status is "429" or "503")
        {
            response.Headers = new Dictionary<string, IOpenApiHeader> { ["Retry-After"] = Header("Seconds to wait before retrying.", JsonSchemaType.Integer) };
        }

        if (status == "401")
        {
            response.Headers = new Dictionary<string, IOpenApiHeader> { ["WWW-Authenticate"] = Header("`Bearer`, with the reason when a token was refused.") };
        }

        return response;
    }

    private static OpenApiHeader Header(string description, JsonSchemaType type = JsonSchemaType.String) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = type } };

    /// <summary>RFC 9457 problem details: open to extension members, as the standard says, with the ones this API adds named.</summary>
    private static void DescribeProblems(IDictionary<string, IOpenApiSchema> schemas)
    {
        OpenApiSchema Build(bool validation)
        {
            var schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = validation
                    ? "RFC 9457 problem details; `errors` names each request field that is wrong, with what is wrong with it."
                    : "RFC 9457 problem details. Members beyond those listed may appear; clients must ignore the ones they do not know.",
                Required = new HashSet<string> { "title", "status", "traceId" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI that identifies the kind of problem." },
                    ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
                    ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong with this request." },
                    ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The path of the request." },
                },
                AdditionalPropertiesAllowed = true,
            };
            foreach (var (name, type, description) in ProblemExtensions)
            {
                schema.Properties[name] = new OpenApiSchema { Type = type, Description = description };
            }

            if (validation)
            {
                schema.Properties["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Field name → what is wrong with it.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                };
            }

            return schema;
        }

        schemas["ProblemDetails"] = Build(validation: false);
        schemas["HttpValidationProblemDetails"] = Build(validation: true);
    }

    /// <summary>What sign-in, the new password and refresh answer: the handlers' typed results name only the challenge.</summary>
    private static void DescribeTokens(IDictionary<string, IOpenApiSchema> schemas)
    {
        Dictionary<string, IOpenApiSchema> TokenFields() => new()
        {
            ["idToken"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The JWT to send as `Authorization: Bearer`; it carries the tenant and role." },
            ["accessToken"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The identity provider's access token." },
            ["refreshToken"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "Trade it at /auth/refresh for new tokens; null when refreshing." },
            ["expiresIn"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "Seconds until the ID and access tokens expire." },
            ["tokenType"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Bearer")] },
        };
        string[] tokenRequired = ["idToken", "accessToken", "expiresIn", "tokenType"];
        schemas["TokenResponse"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Tokens of a signed-in user.",
            Properties = TokenFields(),
            Required = new HashSet<string>(tokenRequired),
        };

        // One object with both shapes' fields, so that generated clients read either (code generators drop the
        // properties of a schema with oneOf); dependentRequired says which fields come together.
        var signIn = TokenFields();
        signIn["challengeName"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Set instead of tokens when the user must first choose a new password (NEW_PASSWORD_REQUIRED: /auth/new-password), send a TOTP code (SOFTWARE_TOKEN_MFA: /auth/mfa) or set up MFA (MFA_SETUP: /auth/mfa/setup).",
            Enum = [.. Identity.Challenges.All.Select(name => JsonValue.Create(name))],
        };
        signIn["session"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Send it with the challenge's answer." };
        schemas["SignInResponse"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Either tokens (`idToken`, `accessToken`, `refreshToken`, `expiresIn`, `tokenType`) or a challenge (`challengeName`, `session`).",
            Properties = signIn,
            DependentRequired = new Dictionary<string, HashSet<string>>
            {
                ["idToken"] = ["accessToken", "expiresIn", "tokenType"],
                ["challengeName"] = ["session"],
            },
        };
    }

    private static void DescribeFields(string schemaName, OpenApiSchema schema)
    {
        if (OptionalFields.TryGetValue(schemaName, out var optional) && schema.Required is { } required)
        {
            foreach (var field in optional)
            {
                required.Remove(field);
            }
        }

        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (property is not OpenApiSchema field)
            {
                continue;
            }

            var propertyName = schemaName.StartsWith("Order", StringComparison.Ordinal) && name == "status" ? "orderStatus" : name;
            if (AllowedValues.TryGetValue(propertyName, out var values) && field.Type?.HasFlag(JsonSchemaType.String) == true)
            {
                field.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
                if (field.Type.Value.HasFlag(JsonSchemaType.Null))
                {
                    // Optional in requests: a client leaves it out rather than sending null.
                    field.Type = JsonSchemaType.String;
                }
            }

            if (Examples.TryGetValue(name, out var example) && field.Type is not null && !field.Type.Value.HasFlag(JsonSchemaType.Array))
            {
                field.Examples = [example.DeepClone()];
            }
        }
    }

    private static void AddHealth(OpenApiDocument document)
    {
        document.Components!.Schemas!["HealthReport"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string> { "status", "checks" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Healthy"), JsonValue.Create("Degraded"), JsonValue.Create("Unhealthy")] },
                ["checks"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Each check's status by name (none for liveness).",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            },
        };

        OpenApiPathItem Route(string id, string summary, string description)
        {
            var report = new OpenApiMediaType { Schema = new OpenApiSchemaReference("HealthReport", document) };
            var operation = new OpenApiOperation
            {
                OperationId = id,
                Summary = summary,
                Description = description,
                Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                Security = [new OpenApiSecurityRequirement()],
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Healthy.", Content = new Dictionary<string, OpenApiMediaType> { [Json] = report } },
                    ["413"] = Problem(document, "413"),
                    ["503"] = new OpenApiResponse
                    {
                        Description = "Unhealthy (the report), or the app failed to start (problem details).",
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            [Json] = new() { Schema = new OpenApiSchemaReference("HealthReport", document) },
                            [ProblemJson] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
                        },
                    },
                },
            };
            var item = new OpenApiPathItem();
            item.AddOperation(HttpMethod.Get, operation);
            return item;
        }

        document.Paths.Add("/health", Route("GetLiveness", "Liveness: the process answers", "Never rate-limited; reaches no dependency."));
        document.Paths.Add("/health/ready", Route("GetReadiness", "Readiness: storage and the identity provider answer", "Each check's status is in `checks`."));
    }
}
