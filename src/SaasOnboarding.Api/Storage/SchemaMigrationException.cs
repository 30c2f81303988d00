namespace SaasOnboarding.Api.Storage;

/// <summary>A migration that failed, naming the database and the step; the database stays at the version before it.</summary>
public sealed class SchemaMigrationException(string message, Exception? inner = null) : Exception(message, inner);
