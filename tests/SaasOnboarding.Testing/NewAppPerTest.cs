using System.Reflection;
using Xunit.Sdk;

namespace SaasOnboarding.Testing;

/// <summary>
/// On a collection of tests that share an app: in a mutation run, each test of the collection gets an app of its own
/// from the shared fixture, built with the fixture's settings at the test's first use (see <see cref="AppFactory"/>).
/// Stryker.NET compiles every mutant into the app and switches the active one from test to test in the same process,
/// and it runs a mutant only against the tests that executed its code. A shared app is built once, in the first test
/// that uses it, under whichever mutant was active then: a mutant in start-up code (the policies, the bearer options)
/// would be recorded as executed by that test alone and never be active while the app is built, and would survive
/// although the tests catch it. <c>scripts/mutation.sh</c> sets <see cref="Variable"/>; an ordinary run shares apps.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NewAppPerTest : BeforeAfterTestAttribute
{
    /// <summary>Set to <c>1</c> by <c>scripts/mutation.sh</c>.</summary>
    public const string Variable = "SAAS_TESTS_NEW_APP_PER_TEST";

    private static long _currentTest;
    private static int _running;

    public static bool Enabled { get; } = Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>The running test, numbered in the order tests start.</summary>
    public static long CurrentTest => Interlocked.Read(ref _currentTest);

    public override void Before(MethodInfo methodUnderTest)
    {
        if (!Enabled)
        {
            return;
        }

        // Stryker runs one test at a time (its run settings turn parallel runs off; one mutant is active per test).
        // An app replaced under a test running beside this one would fail it for a reason of the harness's own.
        if (Interlocked.Increment(ref _running) != 1)
        {
            Interlocked.Decrement(ref _running);
            throw new InvalidOperationException($"{Variable} needs the tests to run one at a time.");
        }

        Interlocked.Increment(ref _currentTest);
    }

    public override void After(MethodInfo methodUnderTest)
    {
        if (Enabled)
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
