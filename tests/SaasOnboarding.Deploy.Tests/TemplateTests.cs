using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SaasOnboarding.Api.Hosting;
using SaasOnboarding.Api.Identity;

namespace SaasOnboarding.Deploy.Tests;

/// <summary>template.yaml's invariants: what the build produces, what the app needs, and least privilege.</summary>
public sealed partial class TemplateTests
{
    public const string FunctionId = SamTemplate.FunctionId;

    private readonly SamTemplate _template = SamTemplate.Load();

    [Fact]
    public void TemplateDeclaresExactlyOneFunctionThroughTheSamTransform()
    {
        Assert.Equal("AWS::Serverless-2016-10-31", ((CfnScalar)_template.Root["Transform"]!).Value);
        Assert.Equal([FunctionId], _template.ResourcesOfType("AWS::Serverless::Function"));
        Assert.Empty(_template.ResourcesOfType("AWS::Lambda::Function"));
    }

    [Fact]
    public void FunctionRunsTheBuiltPackageThroughTheWebAdapterOnTheRuntimeAndArchitectureTheBuildTargets()
    {
        var function = _template.PropertiesOf(FunctionId);
        var evaluator = _template.Evaluator();
        var environment = evaluator.Environment(FunctionId);
        var buildScript = File.ReadAllText(Path.Combine(SamTemplate.RepositoryRoot, "scripts", "build-lambda.sh"));

        // The handler is the startup script the build puts at the package's root, run by the adapter's wrapper.
        var handler = evaluator.EvaluateString(function["Handler"]!);
        Assert.Equal(LambdaPackage.Handler, handler);
        Assert.Matches($@"install -m 0755 ""\$root/scripts/lambda/{Regex.Escape(handler!)}"" ""\$out/{Regex.Escape(handler!)}""", buildScript);
        Assert.Equal("/opt/bootstrap", environment["AWS_LAMBDA_EXEC_WRAPPER"]);

        // Runtime and build agree: the OS-only runtime for a Native AOT executable (the project publishes with
        // PublishAot; the script adds no framework-dependent or ReadyToRun switch).
        Assert.Equal("provided.al2023", evaluator.EvaluateString(function["Runtime"]!));
        Assert.Contains("<PublishAot>true</PublishAot>", File.ReadAllText(Path.Combine(SamTemplate.RepositoryRoot, "src", "SaasOnboarding.Api", "SaasOnboarding.Api.csproj")), StringComparison.Ordinal);
        Assert.DoesNotContain("--self-contained false", buildScript, StringComparison.Ordinal);
        Assert.DoesNotContain("PublishReadyToRun", buildScript, StringComparison.Ordinal);
        Assert.Contains("--configuration Release", buildScript, StringComparison.Ordinal);

        // Architecture, adapter layer and the build's runtime identifier agree: x86_64 everywhere.
        Assert.Equal(["x86_64"], (List<object?>)evaluator.Evaluate(function["Architectures"]!)!);
        var layer = Assert.Single((List<object?>)evaluator.Evaluate(function["Layers"]!)!) as string;
        Assert.Matches(@"^arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:\d+$", layer);
        Assert.Contains("--runtime linux-x64", buildScript, StringComparison.Ordinal);

        // `sam build` runs the build script through the Makefile target SAM looks for.
        Assert.Equal("makefile", evaluator.EvaluateString(_template.Resource(FunctionId).Map("Metadata")["BuildMethod"]!));
        var makefile = File.ReadAllText(Path.Combine(SamTemplate.RepositoryRoot, "Makefile"));
        Assert.Matches($@"(?m)^build-{FunctionId}:\s*\n\tbash scripts/build-lambda\.sh ""\$\(ARTIFACTS_DIR\)""", makefile);
        Assert.Equal(".", evaluator.EvaluateString(function["CodeUri"]!));

        // The adapter's port and readiness path: the app listens on the port (bootstrap) and answers the path.
        Assert.Matches(@"^\d+$", environment["AWS_LWA_PORT"]);
        Assert.Equal("/health", environment["AWS_LWA_READINESS_CHECK_PATH"]);
    }

    [Fact]
    public void NoIamStatementUsesAWildcardExceptWhereAwsRequiresItAndSaysSo()
    {
        Assert.Empty(IamStatements.UnexplainedWildcards(_template));

        // The one exception, the key policy, is there and explained; nothing else has one.
        var keyStatements = IamStatements.All(_template, _template.Evaluator()).Where(statement => statement.Resources.Contains("*")).ToList();
        Assert.Equal(["StoreKey"], keyStatements.Select(statement => statement.ResourceId).Distinct());

        // No AWS-managed policy hides a wildcard from this check.
        foreach (var role in _template.ResourcesOfType("AWS::IAM::Role"))
        {
            Assert.False(_template.PropertiesOf(role).Has("ManagedPolicyArns"), $"{role} attaches managed policies");
        }

        Assert.False(_template.PropertiesOf(FunctionId).Has("Policies"), "The function's grants belong in FunctionRole, not SAM policy templates");
    }

    [Theory]
    [InlineData("Action: ssm:GetParameter", "Action: ssm:*")]
    [InlineData("Resource: !GetAtt StoreKey.Arn", "Resource: \"*\"")]
    [InlineData("          # AWS requires \"*\" here", "          # \"*\" here")]
    public void WildcardCheckCatchesAGrantTooWideOrUnexplained(string original, string widened)
    {
        Assert.Contains(original, _template.Text, StringComparison.Ordinal);
        var widenedTemplate = SamTemplate.Parse(_template.Text.Replace(original, widened, StringComparison.Ordinal));

        Assert.NotEmpty(IamStatements.UnexplainedWildcards(widenedTemplate));
    }

    [Fact]
    public void FunctionRoleGrantsOnlyTheCallsTheAppMakesOnTheStacksOwnResources()
    {
        var evaluator = _template.Evaluator();
        Assert.Equal(evaluator.EvaluateString(new CfnIntrinsic("Fn::GetAtt", new CfnList([new CfnScalar("FunctionRole"), new CfnScalar("Arn")]))), evaluator.EvaluateString(_template.PropertiesOf(FunctionId)["Role"]!));
        var statements = IamStatements.All(_template, evaluator).Where(statement => statement.ResourceId == "FunctionRole" && statement.Document == "PolicyDocument").ToList();
        var poolArns = UserPools.Select(pool => $"arn:aws:cognito-idp:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:userpool/{evaluator.PhysicalId(pool)}").ToList();
        // The two SecureStrings the app reads, and no other parameter.
        var parameterArns = SecretParameters
            .Select(name => $"arn:aws:ssm:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:parameter{evaluator.Parameter(name)}")
            .ToList();
        var keyArn = $"arn:aws:kms:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:key/{evaluator.PhysicalId("StoreKey")}";

        foreach (var statement in statements)
        {
            Assert.Equal("Allow", evaluator.EvaluateString(statement.Node["Effect"]!));
            var services = statement.Actions.Select(action => action.Split(':')[0]).Distinct().ToList();
            switch (Assert.Single(services))
            {
                case "cognito-idp":
                    Assert.Equal(poolArns.Order(StringComparer.Ordinal), statement.Resources.Order(StringComparer.Ordinal));
                    Assert.Equal(CognitoAdminOperations.Select(operation => "cognito-idp:" + operation).Order(StringComparer.Ordinal), statement.Actions.Order(StringComparer.Ordinal));
                    break;
                case "ssm":
                    Assert.Equal(["ssm:GetParameter"], statement.Actions);
                    Assert.Equal(parameterArns, statement.Resources);
                    break;
                case "kms":
                    Assert.Equal(["kms:Decrypt"], statement.Actions);
                    Assert.Equal([keyArn], statement.Resources);
                    var condition = (Dictionary<string, object?>)((Dictionary<string, object?>)evaluator.Evaluate(statement.Node["Condition"]!)!)["StringEquals"]!;
                    Assert.Equal($"ssm.{CfnEvaluator.Region}.amazonaws.com", condition["kms:ViaService"]);
                    Assert.Equal(parameterArns, ((List<object?>)condition["kms:EncryptionContext:PARAMETER_ARN"]!).Cast<string>());
                    break;
                case "logs":
                    Assert.Equal(["logs:CreateLogStream", "logs:PutLogEvents"], statement.Actions.Order(StringComparer.Ordinal));
                    Assert.Equal([$"arn:aws:logs:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:log-group:{evaluator.PhysicalId("FunctionLogGroup")}:*"], statement.Resources);
                    break;
                case var other:
                    Assert.Fail($"FunctionRole grants {other}, which the app does not call");
                    break;
            }
        }

        Assert.Equal(GrantedServices, statements.SelectMany(statement => statement.Actions).Select(action => action.Split(':')[0]).Distinct().Order(StringComparer.Ordinal));

        // The function writes its logs to the log group the role grants, not to one Lambda would make unbounded.
        Assert.Equal(evaluator.PhysicalId("FunctionLogGroup"), evaluator.EvaluateString(_template.PropertiesOf(FunctionId).Map("LoggingConfig")["LogGroup"]!));
    }

    [Fact]
    public void CognitoAdapterSignsNoOperationTheRoleDoesNotGrant()
    {
        // The adapter lives on another branch until merged; once it is here, every admin call it signs must be
        // granted (and AccessDenied in production would otherwise be the first sign of a new one).
        var adapter = Path.Combine(SamTemplate.RepositoryRoot, "src", "SaasOnboarding.Api", "Identity", "Cognito");
        var used = Directory.Exists(adapter)
            ? Directory.EnumerateFiles(adapter, "*.cs")
                .SelectMany(file => CognitoOperationLiteral().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value))
                .Where(operation => !operation.EndsWith("Exception", StringComparison.Ordinal) && !UnsignedCognitoOperations.Contains(operation))
                .ToHashSet(StringComparer.Ordinal)
            : CognitoAdminOperations.ToHashSet(StringComparer.Ordinal);

        Assert.Empty(used.Except(CognitoAdminOperations));
        var granted = IamStatements.All(_template, _template.Evaluator()).SelectMany(statement => statement.Actions).ToHashSet(StringComparer.Ordinal);
        Assert.All(used, operation => Assert.Contains("cognito-idp:" + operation, granted));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Fauna")]
    public void EverySettingTheAppNeedsInAwsModeComesFromTheEnvironment(string storageProvider)
    {
        var evaluator = _template.Evaluator(new Dictionary<string, string> { ["StorageProvider"] = storageProvider });
        var environment = evaluator.Environment(FunctionId);

        // Identity: Cognito, with the two pools and their clients made by this stack.
        Assert.Equal("Cognito", environment["Identity__Provider"]);
        Assert.Equal(CfnEvaluator.Region, environment["Identity__Cognito__Region"]);
        Assert.Equal(evaluator.PhysicalId("OperationsUserPool"), environment["Identity__Cognito__OperationsUserPoolId"]);
        Assert.Equal(evaluator.PhysicalId("OperationsUserPoolClient"), environment["Identity__Cognito__OperationsClientId"]);
        Assert.Equal(evaluator.PhysicalId("TenantUserPool"), environment["Identity__Cognito__TenantUserPoolId"]);
        Assert.Equal(evaluator.PhysicalId("TenantUserPoolClient"), environment["Identity__Cognito__TenantClientId"]);
        Assert.False(environment.ContainsKey("Identity__Cognito__ServiceUrl"), "ServiceUrl is for a local stand-in only");

        // Storage: the chosen store, reading its secret from the one parameter the role may read.
        var parameterName = evaluator.Parameter("StoreSecretParameterName");
        Assert.Equal(storageProvider, environment["Storage__Provider"]);
        var storageKeys = environment.Keys.Where(key => key.StartsWith("Storage__", StringComparison.Ordinal) && key != "Storage__Provider").Order(StringComparer.Ordinal).ToList();
        if (storageProvider == "Postgres")
        {
            Assert.Equal(["Storage__Postgres__ConnectionStringParameterName"], storageKeys);
            Assert.Equal(parameterName, environment["Storage__Postgres__ConnectionStringParameterName"]);
        }
        else
        {
            Assert.Equal(["Storage__Fauna__Endpoint", "Storage__Fauna__SecretParameterName"], storageKeys);
            Assert.Equal(parameterName, environment["Storage__Fauna__SecretParameterName"]);
            Assert.StartsWith("https://", environment["Storage__Fauna__Endpoint"], StringComparison.Ordinal);
        }

        // Webhooks: every instance seals and opens the signing secrets with the one key the parameter holds.
        Assert.Equal(evaluator.Parameter("WebhookSecretKeyParameterName"), environment["Webhooks__SecretKeyParameterName"]);

        // Identity: a group per tenant or none, as the parameter says.
        Assert.Equal(evaluator.Parameter("GroupPerTenant"), environment["Identity__GroupPerTenant"]);

        // Hosting: the stage is the app's public base path.
        Assert.Equal("/" + evaluator.Parameter("StageName"), environment["Hosting__PathBase"]);

        // Each chosen provider's settings section is present, and the app's own validation accepts it.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value))
            .Build();
        Assert.True(configuration.GetSection("Identity:Cognito").GetChildren().Any());
        Assert.True(configuration.GetSection("Storage:" + storageProvider).GetChildren().Any());
        var validated = ValidateAppOptions(configuration);
        Assert.Contains("Hosting", validated);
    }

    [Theory]
    [InlineData("Hosting:PathBase", "Prod/")]
    [InlineData("Hosting:PathBse", "/Prod")]
    [InlineData("Hosting:KnownProxies:0", "not-an-address")]
    public void AppSettingsCheckRefusesAnInvalidOrMisspelledSetting(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        Assert.ThrowsAny<Exception>(() => ValidateAppOptions(configuration));
    }

    [Fact]
    public void ApiSendsEveryMethodAndPathToTheFunctionWithThrottlingAndAccessLogs()
    {
        var evaluator = _template.Evaluator();
        var functionUri = $"arn:aws:apigateway:{CfnEvaluator.Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:function:{evaluator.PhysicalId(FunctionId)}/invocations";
        // Every method but the one that keeps /internal/... off the API (checked below) goes to the function.
        var methods = _template.ResourcesOfType("AWS::ApiGateway::Method").Where(id => id != InternalMethodId)
            .Select(id => (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf(id))!).ToList();
        var proxyResource = Assert.Single(_template.ResourcesOfType("AWS::ApiGateway::Resource"), id => evaluator.EvaluateString(_template.PropertiesOf(id)["ParentId"]!) == "r00tid" && evaluator.EvaluateString(_template.PropertiesOf(id)["PathPart"]!) == "{proxy+}");

        Assert.Equal(new[] { "r00tid", evaluator.PhysicalId(proxyResource) }.Order(StringComparer.Ordinal), methods.Select(method => (string)method["ResourceId"]!).Order(StringComparer.Ordinal));
        Assert.All(methods, method =>
        {
            Assert.Equal("ANY", method["HttpMethod"]);
            var integration = (Dictionary<string, object?>)method["Integration"]!;
            Assert.Equal("AWS_PROXY", integration["Type"]);
            Assert.Equal("POST", integration["IntegrationHttpMethod"]);
            Assert.Equal(functionUri, integration["Uri"]);
        });

        var stage = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf(Assert.Single(_template.ResourcesOfType("AWS::ApiGateway::Stage"))))!;
        Assert.Equal(evaluator.Parameter("StageName"), stage["StageName"]);
        var throttling = (Dictionary<string, object?>)Assert.Single((List<object?>)stage["MethodSettings"]!)!;
        Assert.Equal("/*", throttling["ResourcePath"]);
        Assert.Equal("*", throttling["HttpMethod"]);
        Assert.True(int.Parse((string)throttling["ThrottlingRateLimit"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(int.Parse((string)throttling["ThrottlingBurstLimit"]!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var accessLogs = (Dictionary<string, object?>)stage["AccessLogSetting"]!;
        Assert.Equal($"arn:aws:logs:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:log-group:{evaluator.PhysicalId("ApiAccessLogGroup")}:*", accessLogs["DestinationArn"]);
        foreach (var field in new[] { "$context.requestId", "$context.identity.sourceIp", "$context.status", "$context.path" })
        {
            Assert.Contains(field, (string)accessLogs["Format"]!, StringComparison.Ordinal);
        }

        Assert.All(_template.ResourcesOfType("AWS::Logs::LogGroup"), group => Assert.True(_template.PropertiesOf(group).Has("RetentionInDays"), $"{group} keeps logs forever"));

        // API Gateway may invoke the function, from this API's stage only.
        var permission = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf(Assert.Single(_template.ResourcesOfType("AWS::Lambda::Permission"))))!;
        Assert.Equal("apigateway.amazonaws.com", permission["Principal"]);
        Assert.Equal("lambda:InvokeFunction", permission["Action"]);
        Assert.Equal($"arn:aws:execute-api:{CfnEvaluator.Region}:{CfnEvaluator.AccountId}:{evaluator.PhysicalId("RestApi")}/{evaluator.Parameter("StageName")}/*/*", permission["SourceArn"]);
    }

    [Fact]
    public void AScheduleRunsThePassesThroughTheAdaptersPassThroughPathWhichTheApiDoesNotRoute()
    {
        var evaluator = _template.Evaluator();
        var environment = evaluator.Environment(FunctionId);

        // The adapter hands a non-HTTP event to the path the app serves it at.
        Assert.Equal(LambdaEvents.Path, environment["AWS_LWA_PASS_THROUGH_PATH"]);

        // An EventBridge schedule on the function, at the rate the parameter gives (every minute by default).
        var events = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf(FunctionId).Map("Events"))!;
        var schedule = (Dictionary<string, object?>)Assert.Single(events).Value!;
        Assert.Equal("Schedule", schedule["Type"]);
        var properties = (Dictionary<string, object?>)schedule["Properties"]!;
        Assert.Equal("rate(1 minute)", properties["Schedule"]);
        Assert.Equal("true", properties["Enabled"]);
        var rate = new Regex(((CfnScalar)_template.Parameters.Map("PassSchedule")["AllowedPattern"]!).Value);
        Assert.Matches(rate, "rate(5 minutes)");
        Assert.DoesNotMatch(rate, "rate(1 minutes)");
        Assert.DoesNotMatch(rate, "cron(* * * * ? *)");

        // API Gateway answers /internal/{proxy+} itself with 404, never invoking the function: more specific than
        // /{proxy+}, it is the resource a request for the pass-through path matches.
        var internalResource = evaluator.EvaluateString(_template.PropertiesOf(InternalMethodId)["ResourceId"]!);
        var resources = _template.ResourcesOfType("AWS::ApiGateway::Resource").ToDictionary(evaluator.PhysicalId, id => _template.PropertiesOf(id));
        var path = new List<string>();
        for (var resource = internalResource; resource != "r00tid"; resource = evaluator.EvaluateString(resources[resource!]["ParentId"]!))
        {
            path.Insert(0, evaluator.EvaluateString(resources[resource!]["PathPart"]!)!);
        }

        Assert.Equal("/" + LambdaEvents.Path.Split('/')[1] + "/{proxy+}", "/" + string.Join('/', path));
        var method = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf(InternalMethodId))!;
        Assert.Equal("ANY", method["HttpMethod"]);
        var integration = (Dictionary<string, object?>)method["Integration"]!;
        Assert.Equal("MOCK", integration["Type"]);
        Assert.False(integration.ContainsKey("Uri"), "The internal path's method must not reach the function");
        Assert.Contains("404", (string)((Dictionary<string, object?>)integration["RequestTemplates"]!)["application/json"]!, StringComparison.Ordinal);
        Assert.Equal("404", ((Dictionary<string, object?>)Assert.Single((List<object?>)integration["IntegrationResponses"]!)!)["StatusCode"]);
        Assert.Contains(InternalMethodId, ((CfnList)_template.Resource("ApiDeployment")["DependsOn"]!).Items.Cast<CfnScalar>().Select(item => item.Value));
    }

    [Fact]
    public void UserPoolsGiveTheAppTheClaimsClientsAndSystemAdminItExpects()
    {
        var evaluator = _template.Evaluator(new Dictionary<string, string> { ["SystemAdminEmail"] = "ops@example.com" });
        foreach (var pool in UserPools)
        {
            var properties = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf(pool))!;
            var customAttributes = ((List<object?>)properties["Schema"]!).Cast<Dictionary<string, object?>>().Where(attribute => (string)attribute["Name"]! != "email").ToList();
            Assert.Equal(["tenantId", "userRole"], customAttributes.Select(attribute => (string)attribute["Name"]!).Order(StringComparer.Ordinal));
            Assert.All(customAttributes, attribute => Assert.Equal(("String", "true"), ((string)attribute["AttributeDataType"]!, (string)attribute["Mutable"]!)));
            var adminCreateOnly = (Dictionary<string, object?>)properties["AdminCreateUserConfig"]!;
            Assert.Equal("true", adminCreateOnly["AllowAdminCreateUserOnly"]);
            var invitation = (string)((Dictionary<string, object?>)adminCreateOnly["InviteMessageTemplate"]!)["EmailMessage"]!;
            Assert.Contains("{username}", invitation, StringComparison.Ordinal);
            Assert.Contains("{####}", invitation, StringComparison.Ordinal);
            Assert.Contains($"https://{evaluator.PhysicalId("RestApi")}.execute-api.{CfnEvaluator.Region}.amazonaws.com/{evaluator.Parameter("StageName")}/", invitation, StringComparison.Ordinal);
        }

        var tenantInvitation = evaluator.EvaluateString(_template.PropertiesOf("TenantUserPool").Map("AdminCreateUserConfig").Map("InviteMessageTemplate")["EmailMessage"]!)!;
        Assert.Contains(evaluator.EvaluateString(new CfnIntrinsic("Fn::FindInMap", new CfnList([new CfnScalar("Pages"), new CfnScalar("Paths"), new CfnScalar("SignIn")])))!, tenantInvitation, StringComparison.Ordinal);

        foreach (var (client, pool) in new[] { ("OperationsUserPoolClient", "OperationsUserPool"), ("TenantUserPoolClient", "TenantUserPool") })
        {
            var properties = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf(client))!;
            Assert.Equal(evaluator.PhysicalId(pool), properties["UserPoolId"]);
            Assert.Equal("false", properties["GenerateSecret"]);
            Assert.Equal(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"], ((List<object?>)properties["ExplicitAuthFlows"]!).Cast<string>().Order(StringComparer.Ordinal));
            Assert.Contains("custom:tenantId", (List<object?>)properties["ReadAttributes"]!);
            Assert.Contains("custom:userRole", (List<object?>)properties["ReadAttributes"]!);
            Assert.DoesNotContain((List<object?>)properties["WriteAttributes"]!, attribute => ((string)attribute!).StartsWith("custom:", StringComparison.Ordinal));
        }

        // The first system admin: in the operations pool, in SystemAdmins, with the claims the app honours.
        var group = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf("SystemAdminsGroup"))!;
        Assert.Equal(("SystemAdmins", evaluator.PhysicalId("OperationsUserPool")), ((string)group["GroupName"]!, (string)group["UserPoolId"]!));
        var admin = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf("SystemAdminUser"))!;
        Assert.Equal(evaluator.PhysicalId("OperationsUserPool"), admin["UserPoolId"]);
        var attributes = ((List<object?>)admin["UserAttributes"]!).Cast<Dictionary<string, object?>>().ToDictionary(attribute => (string)attribute["Name"]!, attribute => (string)attribute["Value"]!);
        Assert.Equal(Roles.SystemAdmin, attributes["custom:userRole"]);
        Assert.Equal(Roles.SystemAdminsTenantId, attributes["custom:tenantId"]);
        Assert.Equal(evaluator.Parameter("SystemAdminUserName"), admin["Username"]);
        Assert.Equal("ops@example.com", attributes["email"]);
        var membership = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf("SystemAdminMembership"))!;
        Assert.Equal(("SystemAdmins", evaluator.Parameter("SystemAdminUserName")), ((string)membership["GroupName"]!, (string)membership["Username"]!));
        Assert.False(_template.Parameters.Map("SystemAdminEmail").Has("Default"), "sam deploy --guided must ask for the admin's email");
    }

    [Fact]
    public void TelemetryIsExportedOnlyToAGivenEndpointAndTheCollectorLayerIsAddedOnlyWhenNamed()
    {
        // By default: no endpoint, so the app loads no OpenTelemetry SDK; one layer, the adapter's.
        var quiet = _template.Evaluator();
        var quietEnvironment = quiet.Environment(FunctionId);
        Assert.DoesNotContain(quietEnvironment.Keys, key => key.StartsWith("OpenTelemetry__", StringComparison.Ordinal) || key.StartsWith("OTEL_", StringComparison.Ordinal));
        Assert.Single((List<object?>)quiet.Evaluate(_template.PropertiesOf(FunctionId)["Layers"]!)!);

        // Log lines carry their scopes, the trace id among them, whether or not telemetry is exported.
        Assert.Equal("true", quietEnvironment["Logging__Console__FormatterOptions__IncludeScopes"]);

        // With an endpoint and a collector layer: the app's setting names the endpoint, the standard variable the protocol.
        const string layer = "arn:aws:lambda:eu-west-1:901920570463:layer:aws-otel-collector-amd64-ver-0-115-0:1";
        var exporting = _template.Evaluator(new Dictionary<string, string> { ["OtlpEndpoint"] = "http://localhost:4318", ["CollectorLayerArn"] = layer });
        var environment = exporting.Environment(FunctionId);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(environment.ToDictionary(pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), pair => (string?)pair.Value))
            .Build();
        Assert.Equal("http://localhost:4318", configuration[SaasOnboarding.Api.Hosting.Telemetry.EndpointSetting]);
        Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        var layers = (List<object?>)exporting.Evaluate(_template.PropertiesOf(FunctionId)["Layers"]!)!;
        Assert.Equal(2, layers.Count);
        Assert.Matches("LambdaAdapterLayerX86", (string)layers[0]!);
        Assert.Equal(layer, layers[1]);

        // The endpoint parameter takes an empty value or an http(s) address, nothing else.
        var pattern = new Regex(((CfnScalar)_template.Parameters.Map("OtlpEndpoint")["AllowedPattern"]!).Value);
        Assert.Matches(pattern, string.Empty);
        Assert.Matches(pattern, "https://collector.example.com:4318");
        Assert.DoesNotMatch(pattern, "localhost:4318");
    }

    [Fact]
    public void KmsKeyAndAliasGuardTheStoreSecret()
    {
        var evaluator = _template.Evaluator();
        var key = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf("StoreKey"))!;
        Assert.Equal("true", key["EnableKeyRotation"]);
        var alias = (Dictionary<string, object?>)evaluator.Evaluate(_template.PropertiesOf("StoreKeyAlias"))!;
        Assert.StartsWith("alias/", (string)alias["AliasName"]!, StringComparison.Ordinal);
        Assert.Equal(evaluator.PhysicalId("StoreKey"), alias["TargetKeyId"]);

        // Only the function's role may decrypt with it, and only through SSM (checked in detail above).
        var decrypters = IamStatements.All(_template, evaluator).Where(statement => statement.Actions.Contains("kms:Decrypt")).Select(statement => statement.ResourceId).ToList();
        Assert.Equal(["FunctionRole"], decrypters);
        Assert.Matches("^/", evaluator.Parameter("StoreSecretParameterName"));
    }

    [Fact]
    public void OutputsNameTheUrlsPoolsAndClients()
    {
        var evaluator = _template.Evaluator();
        string Output(string name) => evaluator.EvaluateString(_template.Outputs.Map(name)["Value"]!)!;
        var apiUrl = $"https://{evaluator.PhysicalId("RestApi")}.execute-api.{CfnEvaluator.Region}.amazonaws.com/{evaluator.Parameter("StageName")}/";

        Assert.Equal(apiUrl, Output("ApiUrl"));
        Assert.Equal(apiUrl + "swagger/", Output("SwaggerUiUrl"));
        Assert.StartsWith(apiUrl, Output("SignUpPageUrl"), StringComparison.Ordinal);
        Assert.Equal(evaluator.PhysicalId("OperationsUserPool"), Output("OperationsUserPoolId"));
        Assert.Equal(evaluator.PhysicalId("OperationsUserPoolClient"), Output("OperationsClientId"));
        Assert.Equal(evaluator.PhysicalId("TenantUserPool"), Output("TenantUserPoolId"));
        Assert.Equal(evaluator.PhysicalId("TenantUserPoolClient"), Output("TenantClientId"));
        Assert.Equal(evaluator.PhysicalId("StoreKeyAlias"), Output("StoreKeyAlias"));
    }

    [Fact]
    public void SamconfigDeploysWithWorkingDefaults()
    {
        var config = Samconfig(File.ReadAllLines(Path.Combine(SamTemplate.RepositoryRoot, "samconfig.toml")));
        Assert.False(string.IsNullOrWhiteSpace(config["default.global.parameters"]["stack_name"]));
        Assert.Matches(@"^[a-z]{2}(-[a-z]+)+-\d$", config["default.global.parameters"]["region"]);
        var deploy = config["default.deploy.parameters"];
        Assert.Equal("true", deploy["resolve_s3"]);
        Assert.Equal("true", deploy["confirm_changeset"]);
        Assert.Contains("CAPABILITY_IAM", deploy["capabilities"].Split(' '));

        // Every override names a parameter of the template and a value it allows.
        foreach (Match match in ParameterOverride().Matches(deploy["parameter_overrides"]))
        {
            var declaration = _template.Parameters.Map(match.Groups[1].Value);
            if (declaration["AllowedValues"] is CfnList allowed)
            {
                Assert.Contains(match.Groups[2].Value, allowed.Items.Cast<CfnScalar>().Select(value => value.Value));
            }

            if (declaration["AllowedPattern"] is CfnScalar pattern)
            {
                Assert.Matches(pattern.Value, match.Groups[2].Value);
            }
        }
    }

    [Fact]
    public async Task TemplatePassesCfnLintWithTheSamTransform()
    {
        // cfn-lint checks every property against CloudFormation's resource schemas and runs the SAM transform.
        var executable = new[] { "cfn-lint", Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".pyenv", "shims", "cfn-lint") }
            .FirstOrDefault(candidate => Path.IsPathRooted(candidate) ? File.Exists(candidate) : OnPath(candidate));
        Assert.True(executable is not null, "cfn-lint is not installed (pip install cfn-lint); it validates template.yaml against CloudFormation's schemas.");
        using var lint = Process.Start(new ProcessStartInfo(executable!, ["--format", "parseable", "template.yaml"])
        {
            WorkingDirectory = SamTemplate.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = lint.StandardOutput.ReadToEndAsync();
        var errors = lint.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await lint.WaitForExitAsync(timeout.Token);
        Assert.True(lint.ExitCode == 0, $"cfn-lint found problems:\n{await output}\n{await errors}");
    }

    /// <summary>The admin operations the Cognito adapter signs (InitiateAuth and RespondToAuthChallenge are not signed).</summary>
    internal static readonly string[] CognitoAdminOperations =
    [
        "AdminAddUserToGroup", "AdminCreateUser", "AdminDeleteUser", "AdminDisableUser", "AdminEnableUser", "AdminGetUser",
        "AdminSetUserMFAPreference", "AdminUpdateUserAttributes", "CreateGroup", "DeleteGroup", "DescribeUserPool", "ListUsers", "ListUsersInGroup",
    ];

    private const string InternalMethodId = "InternalEventsMethod";

    private static readonly string[] SecretParameters = ["StoreSecretParameterName", "WebhookSecretKeyParameterName"];

    private static readonly string[] UserPools = ["OperationsUserPool", "TenantUserPool"];

    private static readonly string[] GrantedServices = ["cognito-idp", "kms", "logs", "ssm"];

    private static readonly string[] UnsignedCognitoOperations = ["InitiateAuth", "RespondToAuthChallenge"];

    /// <summary>
    /// Binds every options class of the app whose section the environment fills, refusing keys the class does not
    /// have, and runs its data annotations and validators; answers the sections validated.
    /// </summary>
    private static List<string> ValidateAppOptions(IConfiguration configuration)
    {
        var assembly = typeof(Program).Assembly;
        var optionsTypes = assembly.GetTypes()
            .Where(type => type is { IsClass: true, IsAbstract: false })
            .Select(type => (Type: type, Section: type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field ? field.GetRawConstantValue() as string : null))
            .Where(candidate => candidate.Section is not null)
            .ToList();
        var validated = new List<string>();
        foreach (var (type, section) in optionsTypes)
        {
            // A nested section that belongs to another options class (Storage:Postgres under a Storage class) is
            // that class's to check.
            var nested = optionsTypes.Select(other => other.Section!).Where(other => other.StartsWith(section + ":", StringComparison.Ordinal)).ToList();
            var values = configuration.GetSection(section!).AsEnumerable(makePathsRelative: true)
                .Where(pair => pair.Value is not null && !nested.Any(other => (section + ":" + pair.Key).StartsWith(other + ":", StringComparison.Ordinal)))
                .ToDictionary(pair => pair.Key, pair => pair.Value);
            if (values.Count == 0)
            {
                continue;
            }

            var options = Activator.CreateInstance(type)!;
            new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            var problems = new List<ValidationResult>();
            Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true);
            var messages = problems.Select(problem => problem.ErrorMessage).ToList();
            var validatorType = typeof(IValidateOptions<>).MakeGenericType(type);
            foreach (var validator in assembly.GetTypes().Where(candidate => candidate.IsClass && validatorType.IsAssignableFrom(candidate)))
            {
                var result = (ValidateOptionsResult)validatorType.GetMethod("Validate")!.Invoke(Activator.CreateInstance(validator, nonPublic: true), [null, options])!;
                messages.AddRange(result.Failures ?? []);
            }

            Assert.True(messages.Count == 0, $"{section} from the template's environment fails the app's validation: {string.Join("; ", messages)}");
            validated.Add(section!);
        }

        return validated;
    }

    private static Dictionary<string, Dictionary<string, string>> Samconfig(string[] lines)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            if (line.StartsWith('['))
            {
                sections[line.Trim('[', ']')] = current = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }

            var (key, value) = (line[..line.IndexOf('=', StringComparison.Ordinal)].Trim(), line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
            current[key] = value.StartsWith('"') ? value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal) : value;
        }

        return sections;
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(directory => directory.Length > 0 && File.Exists(Path.Combine(directory, name)));

    [GeneratedRegex(@"""(Admin[A-Z]\w*|CreateGroup|DeleteGroup|Describe[A-Z]\w*|List[A-Z]\w*|Get[A-Z]\w*|Update[A-Z]\w*|InitiateAuth|RespondToAuthChallenge)""")]
    private static partial Regex CognitoOperationLiteral();

    [GeneratedRegex(@"(\w+)=""([^""]*)""")]
    private static partial Regex ParameterOverride();
}
