using System.Text.RegularExpressions;

namespace SaasOnboarding.Domain.Tests.Suite;

/// <summary>
/// Reads C# test sources and finds the test methods (<c>[Fact]</c>, <c>[Theory]</c>, <c>[SkippableFact]</c>,
/// <c>[SkippableTheory]</c>) that assert nothing about behaviour: no assertion in their body, nor in the methods of
/// the same file they call (helpers, recursively), or only assertions about constants (<c>Assert.True(true)</c>).
/// An assertion is an xUnit <c>Assert.</c> call, a Playwright <c>Expect(</c>, or a helper named
/// <c>Assert…</c>, <c>Should…</c> or <c>Verify…</c> (the shared fixtures' own assertions). A text scan, not a compiler:
/// simple on purpose, and checked by <see cref="EveryTestAssertsBehaviourTests"/> on examples of both kinds.
/// </summary>
public static partial class TestMethodScanner
{
    /// <summary>Words that can stand where a declaration's return type would, at the start of a statement or a type.</summary>
    private static readonly HashSet<string> NotTypes =
    [
        "return", "await", "else", "new", "throw", "yield", "case", "using", "var", "class", "record", "struct", "interface", "enum", "in", "is", "as",
    ];

    /// <summary>Keywords followed by a parenthesis, which the declaration pattern would otherwise take for a name.</summary>
    private static readonly HashSet<string> NotMethods =
    [
        "if", "for", "foreach", "while", "switch", "using", "lock", "catch", "when", "nameof", "typeof", "sizeof", "default", "fixed", "return",
    ];

    /// <summary>The names of every test method in <paramref name="source"/>.</summary>
    public static IReadOnlyList<string> TestNames(string source)
    {
        var code = Blank(source);
        var methods = Methods(code);
        return [.. TestAttribute().Matches(code).Select(attribute => methods.FirstOrDefault(method => method.Start > attribute.Index)?.Name).OfType<string>().Distinct()];
    }

    /// <summary>The names of the test methods in <paramref name="source"/> that assert nothing about behaviour.</summary>
    public static IReadOnlyList<string> WithoutAssertions(string source)
    {
        var code = Blank(source);
        var methods = Methods(code);
        var offenders = new List<string>();
        foreach (Match attribute in TestAttribute().Matches(code))
        {
            var test = methods.FirstOrDefault(method => method.Start > attribute.Index);
            if (test is null)
            {
                continue;
            }

            var body = WithHelpers(code, test, methods);
            var assertions = Assertion().Count(body);
            var constant = ConstantAssertion().Count(body);
            if (assertions - constant <= 0)
            {
                offenders.Add(test.Name);
            }
        }

        return [.. offenders.Distinct()];
    }

    /// <summary>The test's body and the bodies of the same file's methods it calls, recursively.</summary>
    private static string WithHelpers(string code, Method test, IReadOnlyList<Method> methods)
    {
        var seen = new HashSet<Method> { test };
        var pending = new Queue<Method>([test]);
        var bodies = new List<string>();
        while (pending.TryDequeue(out var method))
        {
            var body = code[method.BodyStart..method.BodyEnd];
            bodies.Add(body);
            foreach (Match call in Call().Matches(body))
            {
                foreach (var helper in methods.Where(candidate => candidate.Name == call.Groups["name"].Value && seen.Add(candidate)))
                {
                    pending.Enqueue(helper);
                }
            }
        }

        return string.Join('\n', bodies);
    }

    /// <summary>Every method declared in the file, with where its body (block or expression) starts and ends.</summary>
    private static List<Method> Methods(string code)
    {
        var methods = new List<Method>();
        foreach (Match declaration in Declaration().Matches(code))
        {
            if (NotTypes.Contains(declaration.Groups["type"].Value) || NotMethods.Contains(declaration.Groups["name"].Value))
            {
                continue;
            }

            var open = declaration.Index + declaration.Length - 1;
            var close = Closing(code, open, '(', ')');
            if (close < 0)
            {
                continue;
            }

            var next = close + 1;
            while (next < code.Length && code[next] != '{' && code[next] != ';' && code[next] != '=')
            {
                next++;
            }

            if (next >= code.Length || code[next] == ';')
            {
                continue;
            }

            var end = code[next] == '{' ? Closing(code, next, '{', '}') : ExpressionEnd(code, next);
            if (end > next)
            {
                methods.Add(new Method(declaration.Groups["name"].Value, declaration.Index, next, end));
            }
        }

        return methods;
    }

    private static int Closing(string code, int open, char opening, char closing)
    {
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            if (code[i] == opening)
            {
                depth++;
            }
            else if (code[i] == closing && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static int ExpressionEnd(string code, int arrow)
    {
        var depth = 0;
        for (var i = arrow; i < code.Length; i++)
        {
            switch (code[i])
            {
                case '(' or '{' or '[':
                    depth++;
                    break;
                case ')' or '}' or ']':
                    depth--;
                    break;
                case ';' when depth == 0:
                    return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The source with comments blanked and string and character literals emptied (their quotes kept), so that
    /// braces and calls inside them count for nothing; lengths and positions are kept.
    /// </summary>
    private static string Blank(string source)
    {
        var code = source.ToCharArray();
        var i = 0;
        while (i < code.Length)
        {
            if (At(source, i, "//"))
            {
                while (i < code.Length && code[i] != '\n')
                {
                    code[i++] = ' ';
                }
            }
            else if (At(source, i, "/*"))
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? code.Length : end + 2;
                while (i < end)
                {
                    code[i] = code[i] == '\n' ? '\n' : ' ';
                    i++;
                }
            }
            else if (At(source, i, "\"\"\""))
            {
                var quotes = 3;
                while (i + quotes < code.Length && code[i + quotes] == '"')
                {
                    quotes++;
                }

                var fence = new string('"', quotes);
                var end = source.IndexOf(fence, i + quotes, StringComparison.Ordinal);
                i = Empty(code, i + quotes, end < 0 ? code.Length : end) + quotes;
            }
            else if (code[i] == '"' || code[i] == '\'')
            {
                var quote = code[i];
                var verbatim = i > 0 && (source[i - 1] == '@' || (source[i - 1] == '$' && i > 1 && source[i - 2] == '@'));
                var j = i + 1;
                while (j < code.Length && code[j] != quote)
                {
                    j += !verbatim && code[j] == '\\' ? 2 : 1;
                    if (verbatim && j < code.Length - 1 && code[j] == quote && code[j + 1] == quote)
                    {
                        j += 2;
                    }
                }

                i = Empty(code, i + 1, Math.Min(j, code.Length)) + 1;
            }
            else
            {
                i++;
            }
        }

        return new string(code);
    }

    private static bool At(string source, int index, string text) => string.CompareOrdinal(source, index, text, 0, text.Length) == 0;

    private static int Empty(char[] code, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            code[k] = code[k] == '\n' ? '\n' : ' ';
        }

        return to;
    }

    [GeneratedRegex(@"\[\s*(?:Xunit\.)?(?:Fact|Theory|SkippableFact|SkippableTheory)\b")]
    private static partial Regex TestAttribute();

    [GeneratedRegex(@"(?m)^[ \t]*(?:(?:public|private|protected|internal|static|async|override|virtual|sealed|new|unsafe|extern|partial)\s+)*(?<type>[A-Za-z_][\w.]*(?:<[^;{}()]*?>)?(?:\[\])?\??)\s+(?<name>[A-Za-z_]\w*)\s*(?:<[^>()]*>)?\s*\(")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\b(?<name>[A-Za-z_]\w*)\s*(?:<[^>()]*>)?\s*\(")]
    private static partial Regex Call();

    [GeneratedRegex(@"\bAssert\.\w+\s*(?:<[^>()]*>)?\s*\(|\b(?:Assert\w+|Should\w*|Verify\w*|Expect)\s*(?:<[^>()]*>)?\s*\(")]
    private static partial Regex Assertion();

    [GeneratedRegex(@"\bAssert\.(?:True|False)\s*\(\s*(?:true|false)\s*[,)]|\bAssert\.(?:Equal|StrictEqual|Same)\s*\(\s*(?<value>""\s*""|-?\d[\w.]*|true|false|null)\s*,\s*\k<value>\s*\)|\bAssert\.(?:Null|NotNull)\s*\(\s*(?:null|""\s*""|-?\d[\w.]*|true|false)\s*\)")]
    private static partial Regex ConstantAssertion();

    private sealed record Method(string Name, int Start, int BodyStart, int BodyEnd);
}
