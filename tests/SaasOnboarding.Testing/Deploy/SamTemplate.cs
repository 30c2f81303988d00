using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SaasOnboarding.Testing;

/// <summary>A node of a CloudFormation template, with both spellings of an intrinsic function made one.</summary>
public abstract record CfnNode;

public sealed record CfnScalar(string Value) : CfnNode;

public sealed record CfnList(IReadOnlyList<CfnNode> Items) : CfnNode;

public sealed record CfnMap(IReadOnlyList<KeyValuePair<string, CfnNode>> Entries) : CfnNode
{
    public CfnNode? this[string key] => Entries.FirstOrDefault(entry => entry.Key == key).Value;

    public CfnMap Map(string key) => this[key] as CfnMap ?? throw new KeyNotFoundException($"No map '{key}' in the template node.");

    public bool Has(string key) => Entries.Any(entry => entry.Key == key);
}

/// <summary><c>!Ref X</c> / <c>{Ref: X}</c>, <c>!Sub ...</c> / <c>{Fn::Sub: ...}</c> and so on.</summary>
public sealed record CfnIntrinsic(string Function, CfnNode Argument) : CfnNode;

/// <summary>
/// template.yaml, parsed with YamlDotNet's representation model, which keeps CloudFormation's short tags
/// (<c>!Ref</c>, <c>!Sub</c>, <c>!GetAtt</c>...) on the nodes instead of failing on them.
/// </summary>
public sealed class SamTemplate
{
    /// <summary>The logical id of the app's function in template.yaml.</summary>
    public const string FunctionId = "SaasOnboardingFunction";

    private static readonly Dictionary<string, string> ShortTags = new(StringComparer.Ordinal)
    {
        ["!Ref"] = "Ref",
        ["!Condition"] = "Condition",
        ["!GetAtt"] = "Fn::GetAtt",
        ["!Sub"] = "Fn::Sub",
        ["!If"] = "Fn::If",
        ["!Equals"] = "Fn::Equals",
        ["!Not"] = "Fn::Not",
        ["!And"] = "Fn::And",
        ["!Or"] = "Fn::Or",
        ["!FindInMap"] = "Fn::FindInMap",
        ["!Join"] = "Fn::Join",
        ["!Select"] = "Fn::Select",
        ["!Split"] = "Fn::Split",
        ["!Base64"] = "Fn::Base64",
        ["!GetAZs"] = "Fn::GetAZs",
        ["!ImportValue"] = "Fn::ImportValue",
        ["!Cidr"] = "Fn::Cidr",
    };

    private SamTemplate(string text, CfnMap root)
    {
        Text = text;
        Root = root;
    }

    public string Text { get; }

    public CfnMap Root { get; }

    public CfnMap Resources => Root.Map("Resources");

    public CfnMap Parameters => Root.Map("Parameters");

    public CfnMap Outputs => Root.Map("Outputs");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static SamTemplate Load() => Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "template.yaml")));

    public static SamTemplate Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return new SamTemplate(text, (CfnMap)Convert(stream.Documents[0].RootNode));
    }

    public CfnMap Resource(string logicalId) => Resources.Map(logicalId);

    public string TypeOf(string logicalId) => ((CfnScalar)Resource(logicalId)["Type"]!).Value;

    public CfnMap PropertiesOf(string logicalId) => Resource(logicalId).Map("Properties");

    public IReadOnlyList<string> ResourcesOfType(string type) =>
        Resources.Entries.Where(entry => entry.Value is CfnMap map && map["Type"] is CfnScalar { Value: var t } && t == type).Select(entry => entry.Key).ToList();

    /// <summary>The template's values as CloudFormation would resolve them, with made-up ids for the resources.</summary>
    public CfnEvaluator Evaluator(IDictionary<string, string>? parameters = null) => new(this, parameters ?? new Dictionary<string, string>());

    private static CfnNode Convert(YamlNode node)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is not null && ShortTags.TryGetValue(tag, out var function))
        {
            var argument = node switch
            {
                // !GetAtt Resource.Attribute is the short spelling of [Resource, Attribute].
                YamlScalarNode scalar when function == "Fn::GetAtt" => new CfnList(scalar.Value!.Split('.', 2).Select(part => (CfnNode)new CfnScalar(part)).ToList()),
                _ => ConvertPlain(node),
            };
            return new CfnIntrinsic(function, argument);
        }

        var plain = ConvertPlain(node);
        if (plain is CfnMap { Entries.Count: 1 } map && (map.Entries[0].Key == "Ref" || map.Entries[0].Key == "Condition" || map.Entries[0].Key.StartsWith("Fn::", StringComparison.Ordinal)))
        {
            return new CfnIntrinsic(map.Entries[0].Key, map.Entries[0].Value);
        }

        return plain;
    }

    private static CfnNode ConvertPlain(YamlNode node) => node switch
    {
        YamlScalarNode scalar => new CfnScalar(scalar.Value ?? string.Empty),
        YamlSequenceNode sequence => new CfnList(sequence.Children.Select(Convert).ToList()),
        YamlMappingNode mapping => new CfnMap(mapping.Children.Select(pair => new KeyValuePair<string, CfnNode>(((YamlScalarNode)pair.Key).Value!, Convert(pair.Value))).ToList()),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}"),
    };

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SaasOnboarding.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with SaasOnboarding.sln) is not above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// Resolves intrinsic functions the way CloudFormation does, for one set of parameter values, one region and
/// account, and made-up physical ids of the resources. <c>AWS::NoValue</c> resolves to null and drops its entry.
/// </summary>
public sealed partial class CfnEvaluator
{
    public const string Region = "eu-west-1";
    public const string AccountId = "123456789012";
    public const string StackName = "saas-onboarding";

    private readonly SamTemplate _template;
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);

    internal CfnEvaluator(SamTemplate template, IDictionary<string, string> overrides)
    {
        _template = template;
        foreach (var (name, declaration) in template.Parameters.Entries)
        {
            if (((CfnMap)declaration)["Default"] is CfnScalar { Value: var value })
            {
                _parameters[name] = value;
            }
        }

        foreach (var (name, value) in overrides)
        {
            Assert.True(template.Parameters.Has(name), $"template.yaml has no parameter {name}");
            _parameters[name] = value;
        }
    }

    public string Parameter(string name) => _parameters[name];

    public bool Condition(string name) => Truth(_template.Root.Map("Conditions")[name] ?? throw new KeyNotFoundException("No condition " + name));

    /// <summary>A resolved node: a string, a list, a map (string keys), or null for AWS::NoValue.</summary>
    public object? Evaluate(CfnNode node) => node switch
    {
        CfnScalar scalar => scalar.Value,
        CfnList list => list.Items.Select(Evaluate).Where(item => item is not null).ToList(),
        CfnMap map => map.Entries
            .Select(entry => (entry.Key, Value: Evaluate(entry.Value)))
            .Where(entry => entry.Value is not null)
            .ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal),
        CfnIntrinsic intrinsic => Call(intrinsic),
        _ => throw new InvalidOperationException(),
    };

    public string? EvaluateString(CfnNode node) => Evaluate(node) switch
    {
        null => null,
        string text => text,
        var other => throw new InvalidOperationException($"Expected a string, got {other.GetType().Name}"),
    };

    /// <summary>The function's environment variables as Lambda would get them.</summary>
    public Dictionary<string, string> Environment(string functionId)
    {
        var variables = (CfnMap)_template.PropertiesOf(functionId).Map("Environment")["Variables"]!;
        return variables.Entries
            .Select(entry => (entry.Key, Value: EvaluateString(entry.Value)))
            .Where(entry => entry.Value is not null)
            .ToDictionary(entry => entry.Key, entry => entry.Value!, StringComparer.Ordinal);
    }

    /// <summary>The made-up physical id that <c>!Ref</c> of a resource answers.</summary>
    public string PhysicalId(string logicalId)
    {
        var properties = _template.Resource(logicalId)["Properties"] as CfnMap;
        string? Property(string name) => properties?[name] is { } node ? EvaluateString(node) : null;
        return _template.TypeOf(logicalId) switch
        {
            "AWS::Cognito::UserPool" => $"{Region}_{logicalId}",
            "AWS::Cognito::UserPoolClient" => logicalId.ToLowerInvariant() + "0example0client",
            "AWS::Cognito::UserPoolGroup" => Property("GroupName")!,
            "AWS::Cognito::UserPoolUser" => Property("Username")!,
            "AWS::KMS::Key" => "0b1f4c2e-7d5a-4e39-9c1a-5f1e2d3c4b5a",
            "AWS::KMS::Alias" => Property("AliasName")!,
            "AWS::Logs::LogGroup" => Property("LogGroupName") ?? logicalId,
            "AWS::ApiGateway::RestApi" => "a1b2c3d4e5",
            "AWS::Serverless::Function" => Property("FunctionName") ?? $"{StackName}-{logicalId}-AbCdEf123456",
            _ => logicalId,
        };
    }

    private string Attribute(string logicalId, string attribute)
    {
        var id = PhysicalId(logicalId);
        return (_template.TypeOf(logicalId), attribute) switch
        {
            ("AWS::Cognito::UserPool", "Arn") => $"arn:aws:cognito-idp:{Region}:{AccountId}:userpool/{id}",
            ("AWS::KMS::Key", "Arn") => $"arn:aws:kms:{Region}:{AccountId}:key/{id}",
            ("AWS::Logs::LogGroup", "Arn") => $"arn:aws:logs:{Region}:{AccountId}:log-group:{id}:*",
            ("AWS::Serverless::Function", "Arn") => $"arn:aws:lambda:{Region}:{AccountId}:function:{id}",
            ("AWS::IAM::Role", "Arn") => $"arn:aws:iam::{AccountId}:role/{id}",
            ("AWS::ApiGateway::RestApi", "RootResourceId") => "r00tid",
            _ => $"{logicalId}.{attribute}",
        };
    }

    private object? Call(CfnIntrinsic intrinsic)
    {
        var argument = intrinsic.Argument;
        switch (intrinsic.Function)
        {
            case "Ref":
                return Reference(((CfnScalar)argument).Value);
            case "Fn::GetAtt":
                var parts = (CfnList)argument;
                return Attribute(((CfnScalar)parts.Items[0]).Value, EvaluateString(parts.Items[1])!);
            case "Fn::Sub":
                return argument is CfnList { Items: [var text, CfnMap variables] }
                    ? Substitute(((CfnScalar)text).Value, variables.Entries.ToDictionary(entry => entry.Key, entry => EvaluateString(entry.Value)!, StringComparer.Ordinal))
                    : Substitute(((CfnScalar)argument).Value, new Dictionary<string, string>());
            case "Fn::If":
                var branches = (CfnList)argument;
                return Evaluate(Condition(((CfnScalar)branches.Items[0]).Value) ? branches.Items[1] : branches.Items[2]);
            case "Fn::FindInMap":
                var keys = ((CfnList)argument).Items.Select(item => EvaluateString(item)!).ToList();
                return EvaluateString(_template.Root.Map("Mappings").Map(keys[0]).Map(keys[1])[keys[2]] ?? throw new KeyNotFoundException(string.Join("/", keys)));
            case "Fn::Join":
                var join = (CfnList)argument;
                return string.Join(EvaluateString(join.Items[0]), ((List<object?>)Evaluate(join.Items[1])!).Cast<string>());
            case "Fn::Select":
                var select = (CfnList)argument;
                return ((List<object?>)Evaluate(select.Items[1])!)[int.Parse(EvaluateString(select.Items[0])!, CultureInfo.InvariantCulture)];
            case "Fn::Equals" or "Fn::Not" or "Fn::And" or "Fn::Or" or "Condition":
                return Truth(intrinsic) ? "true" : "false";
            default:
                throw new NotSupportedException($"The test evaluator does not know {intrinsic.Function}");
        }
    }

    private bool Truth(CfnNode node) => node switch
    {
        CfnIntrinsic { Function: "Fn::Equals", Argument: CfnList { Items: [var left, var right] } } => EvaluateString(left) == EvaluateString(right),
        CfnIntrinsic { Function: "Fn::Not", Argument: CfnList { Items: [var inner] } } => !Truth(inner),
        CfnIntrinsic { Function: "Fn::And", Argument: CfnList items } => items.Items.All(Truth),
        CfnIntrinsic { Function: "Fn::Or", Argument: CfnList items } => items.Items.Any(Truth),
        CfnIntrinsic { Function: "Condition", Argument: CfnScalar name } => Condition(name.Value),
        _ => throw new NotSupportedException("Not a condition: " + node),
    };

    private string? Reference(string name) => name switch
    {
        "AWS::NoValue" => null,
        "AWS::Region" => Region,
        "AWS::AccountId" => AccountId,
        "AWS::StackName" => StackName,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        _ when _parameters.TryGetValue(name, out var value) => value,
        _ when _template.Resources.Has(name) => PhysicalId(name),
        _ => throw new KeyNotFoundException($"!Ref {name} names no parameter, pseudo parameter or resource"),
    };

    private string Substitute(string text, Dictionary<string, string> variables) => SubstitutionPattern().Replace(text, match =>
    {
        var name = match.Groups[1].Value;
        if (name.StartsWith('!'))
        {
            return "${" + name[1..] + "}";
        }

        if (variables.TryGetValue(name, out var value))
        {
            return value;
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && !name.StartsWith("AWS::", StringComparison.Ordinal)
            ? Attribute(name[..dot], name[(dot + 1)..])
            : Reference(name) ?? throw new InvalidOperationException("${AWS::NoValue} in a !Sub");
    });

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubstitutionPattern();
}
