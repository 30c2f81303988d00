using System.Globalization;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// The numbered migrations of one kind of database (the catalog, a tenant's database, the local identity store),
/// read from the files embedded in this assembly under one folder, such as
/// <c>Storage/Embedded/Migrations/Tenant/</c>. Numbers start at 1 and have no gaps; the highest is the
/// <see cref="Latest"/> version, the one new databases are created at.
/// </summary>
public sealed class SchemaMigrations
{
    private SchemaMigrations(string folder, IReadOnlyList<SchemaMigration> all)
    {
        Folder = folder;
        All = all;
    }

    public string Folder { get; }

    public IReadOnlyList<SchemaMigration> All { get; }

    public int Latest => All.Count;

    /// <summary>The migrations after <paramref name="version"/>, in order.</summary>
    public IEnumerable<SchemaMigration> After(int version) => All.Skip(version);

    /// <summary>The files embedded under <paramref name="folder"/> (a path in the project, ending in <c>/</c>).</summary>
    public static SchemaMigrations Embedded(string folder)
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(folder, StringComparison.Ordinal) || resource.IndexOf('/', folder.Length) >= 0)
            {
                continue;
            }

            var file = resource[folder.Length..];
            var separator = file.IndexOf('_', StringComparison.Ordinal);
            if (separator <= 0 || !int.TryParse(file.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Migration file {resource} is not named NNNN_what_it_does.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SchemaMigration(version, Path.GetFileNameWithoutExtension(file), reader.ReadToEnd()));
        }

        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"The migrations in {folder} must be numbered 1, 2, 3, … without gaps; {migrations[i].Name} breaks that.");
            }
        }

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException($"No migrations are embedded under {folder}.");
        }

        return new SchemaMigrations(folder, migrations);
    }

    /// <summary>A set made in code (tests: a set whose last step fails).</summary>
    public static SchemaMigrations Of(string folder, params SchemaMigration[] migrations) => new(folder, migrations);
}
