namespace SaasOnboarding.Domain.Tests.Suite;

/// <summary>No test in the repository can pass without asserting something about behaviour.</summary>
public sealed class EveryTestAssertsBehaviourTests
{
    [Fact]
    public void EveryTestInTheRepositoryAssertsSomethingAboutBehaviour()
    {
        var root = RepositoryRoot();
        var scanned = 0;
        var offenders = new List<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules"))
            {
                continue;
            }

            var source = File.ReadAllText(path);
            scanned += TestMethodScanner.TestNames(source).Count;
            offenders.AddRange(TestMethodScanner.WithoutAssertions(source).Select(name => $"{relative}: {name}"));
        }

        Assert.True(scanned > 300, $"Only {scanned} test methods found under tests/: the scan is not reading them.");
        Assert.True(offenders.Count == 0, "Tests that assert nothing about behaviour:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void ATestWithoutAnAssertionIsFoundWhateverItsAttribute()
    {
        const string source = """
            public sealed class Examples(AppFactory app)
            {
                [Fact]
                public async Task CallsOnly()
                {
                    using var client = app.CreateClient();
                    await client.GetAsync("/health");
                }

                [SkippableFact]
                public void ExpressionBodied() => Compute(2);

                [Theory]
                [InlineData(1)]
                public void TheoryWithoutAssertion(int value) => _ = value + 1;

                private static int Compute(int value) => value * 2;
            }
            """;

        Assert.Equal(["CallsOnly", "ExpressionBodied", "TheoryWithoutAssertion"], TestMethodScanner.WithoutAssertions(source));
        Assert.Equal(["CallsOnly", "ExpressionBodied", "TheoryWithoutAssertion"], TestMethodScanner.TestNames(source));
    }

    [Fact]
    public void AssertionsOnlyAboutConstantsOrOnlyInCommentsAndStringsDoNotCount()
    {
        const string source = """
            public sealed class Examples
            {
                [Fact]
                public void Constants()
                {
                    Assert.True(true);
                    Assert.False(false, "never");
                    Assert.Equal(1, 1);
                    Assert.Equal("same", "same");
                    Assert.Null(null);
                }

                [Fact]
                public void CommentedOut()
                {
                    var text = "Assert.Equal(2, Compute())";
                    // Assert.Equal(4, Compute());
                    /* Assert.True(Compute() > 0); */
                }
            }
            """;

        Assert.Equal(["Constants", "CommentedOut"], TestMethodScanner.WithoutAssertions(source));
    }

    [Fact]
    public void AssertionsInTheTestOrInTheHelpersItCallsCount()
    {
        const string source = """
            public sealed class Examples
            {
                [Fact]
                public void Direct() => Assert.Equal(4, Compute(2));

                [Fact]
                public async Task ThroughHelpers()
                {
                    var tenant = await app.OnboardAsync();
                    await CheckTenantAsync(tenant.TenantId);
                }

                [Fact]
                public async Task SharedFixtureAssertions()
                {
                    using var client = app.CreateClient();
                    await (await client.GetAsync("/health")).ShouldBe(HttpStatusCode.OK);
                }

                [Fact]
                public async Task Playwright() => await Expect(page.GetByText("Tenants")).ToBeVisibleAsync();

                [Fact]
                public void ConstantAndReal()
                {
                    Assert.True(true);
                    Assert.Equal(4, Compute(2));
                }

                private async Task CheckTenantAsync(string tenantId)
                {
                    var found = await LoadAsync(tenantId);
                    Verify(found);
                }

                private static void Verify(object found)
                {
                    Assert.NotNull(found);
                }

                private static int Compute(int value) => value * 2;
            }
            """;

        Assert.Empty(TestMethodScanner.WithoutAssertions(source));
        Assert.Equal(5, TestMethodScanner.TestNames(source).Count);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "SaasOnboarding.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("SaasOnboarding.sln not found above " + AppContext.BaseDirectory);
    }
}
