using System.Runtime.CompilerServices;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Tests.Infrastructure;

/// <summary>
/// SQLite takes its process-wide settings only before it initialises. In the app, the embedded store's helpers
/// apply them before anything opens a database; here, some tests open SQLite files directly, in any order, so the
/// settings are applied as the test assembly loads, as in the app.
/// </summary>
internal static class SqliteFirst
{
    [ModuleInitializer]
    internal static void Configure() => RuntimeHelpers.RunClassConstructor(typeof(Sqlite).TypeHandle);
}
