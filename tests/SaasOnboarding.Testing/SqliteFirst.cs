using System.Runtime.CompilerServices;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Testing;

/// <summary>
/// SQLite takes its process-wide settings only before it initialises. In the app, the embedded store's helpers
/// apply them before anything opens a database; here, some tests open SQLite files directly, in any order, so the
/// settings are applied as the test assembly loads, as in the app. Each test project compiles this file into its own
/// assembly (a module initializer runs when its own assembly loads).
/// </summary>
internal static class SqliteFirst
{
    [ModuleInitializer]
    internal static void Configure() => RuntimeHelpers.RunClassConstructor(typeof(Sqlite).TypeHandle);
}
