using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using SaasOnboarding.Api.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace SaasOnboarding.Testing;

/// <summary>Figures a test run establishes, written where the README's reliability table is built from.</summary>
public static class MatrixFigures
{
    public static void Record(int endpoints, int callers) =>
        TestFigures.Write("endpoint-matrix", new { endpoints, callers, calls = endpoints * callers });
}
