namespace SaasOnboarding.Api.Storage;

/// <summary>One numbered migration: the text of a file <c>NNNN_what_it_does.sql</c> (or <c>.fql</c>).</summary>
public sealed record SchemaMigration(int Version, string Name, string Text);
