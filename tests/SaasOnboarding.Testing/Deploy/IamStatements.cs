namespace SaasOnboarding.Testing;

/// <summary>One statement of an IAM policy, key policy or trust policy in the template, resolved.</summary>
public sealed record IamStatement(string ResourceId, string Document, string? Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, CfnMap Node);

public static class IamStatements
{
    private static readonly string[] PolicyKeys = ["PolicyDocument", "KeyPolicy", "AssumeRolePolicyDocument"];

    /// <summary>Every statement of every policy document anywhere in the template's resources.</summary>
    public static List<IamStatement> All(SamTemplate template, CfnEvaluator evaluator)
    {
        var statements = new List<IamStatement>();
        foreach (var (resourceId, resource) in template.Resources.Entries)
        {
            Collect(resourceId, resource, evaluator, statements);
        }

        return statements;
    }

    /// <summary>
    /// Statements that give an action or resource "*" (or use NotAction/NotResource) without a comment right above
    /// their Sid saying that AWS requires it; empty when the template is least-privilege.
    /// </summary>
    public static List<string> UnexplainedWildcards(SamTemplate template)
    {
        var problems = new List<string>();
        var lines = template.Text.Split('\n');
        foreach (var statement in All(template, template.Evaluator()))
        {
            var wildcardActions = statement.Actions.Where(action => action.Contains('*', StringComparison.Ordinal)).ToList();
            var wildcardResources = statement.Resources.Where(resource => resource == "*").ToList();
            var negated = statement.Node.Has("NotAction") || statement.Node.Has("NotResource");
            if (wildcardActions.Count == 0 && wildcardResources.Count == 0 && !negated)
            {
                continue;
            }

            var where = $"{statement.ResourceId}.{statement.Document} statement {statement.Sid ?? "(no Sid)"}";
            if (statement.Sid is null)
            {
                problems.Add($"{where} uses '*' or Not* and has no Sid to hang the reason on");
                continue;
            }

            if (!CommentAbove(lines, statement.Sid).Contains("AWS requires", StringComparison.Ordinal))
            {
                problems.Add($"{where} uses '*' ({string.Join(", ", wildcardActions.Concat(wildcardResources))}) without a comment above it saying why AWS requires it");
            }
        }

        return problems;
    }

    private static string CommentAbove(string[] lines, string sid)
    {
        var index = Array.FindIndex(lines, line => line.Trim() == $"- Sid: {sid}");
        var comment = new List<string>();
        for (var i = index - 1; i >= 0 && lines[i].TrimStart().StartsWith('#'); i--)
        {
            comment.Insert(0, lines[i].Trim().TrimStart('#').Trim());
        }

        return string.Join(' ', comment);
    }

    private static void Collect(string resourceId, CfnNode node, CfnEvaluator evaluator, List<IamStatement> statements)
    {
        switch (node)
        {
            case CfnMap map:
                foreach (var (key, value) in map.Entries)
                {
                    if (PolicyKeys.Contains(key) && value is CfnMap document && document["Statement"] is CfnList list)
                    {
                        foreach (var item in list.Items.Cast<CfnMap>())
                        {
                            statements.Add(new IamStatement(
                                resourceId,
                                key,
                                item["Sid"] is CfnScalar sid ? sid.Value : null,
                                Strings(item["Action"] ?? item["NotAction"], evaluator),
                                Strings(item["Resource"] ?? item["NotResource"], evaluator),
                                item));
                        }
                    }
                    else
                    {
                        Collect(resourceId, value, evaluator, statements);
                    }
                }

                break;
            case CfnList list:
                foreach (var item in list.Items)
                {
                    Collect(resourceId, item, evaluator, statements);
                }

                break;
        }
    }

    private static List<string> Strings(CfnNode? node, CfnEvaluator evaluator) => node is null
        ? []
        : evaluator.Evaluate(node) switch
        {
            string one => [one],
            List<object?> many => many.Cast<string>().ToList(),
            var other => throw new InvalidOperationException($"Unexpected Action/Resource {other}"),
        };
}
