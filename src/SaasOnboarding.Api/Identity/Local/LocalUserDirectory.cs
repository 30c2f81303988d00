using Microsoft.AspNetCore.Hosting.Server;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SaasOnboarding.Api.Storage;
using SaasOnboarding.Api.Storage.Embedded;

namespace SaasOnboarding.Api.Identity.Local;

/// <summary>
/// An identity provider inside the app that behaves like a pair of Cognito user pools: users, groups, custom
/// attributes, enable/disable, temporary passwords mailed to the dev mailbox, and RS256 ID tokens shaped like
/// Cognito's. Users live in <c>local-idp.db</c>.
/// </summary>
public sealed class LocalUserDirectory : IUserDirectory, IAuthenticator, ITokenIssuers
{
    private const string UserColumns = "user_name, email, tenant_id, user_role, enabled, status, created_at";
    private static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(3);

    /// <summary>Failed sign-ins in a row after which the account is locked, as Cognito does.</summary>
    public const int FailuresBeforeLockout = 5;

    /// <summary>The first lockout; each further failure doubles it, up to <see cref="MaxLockout"/> (Cognito's schedule).</summary>
    public static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxLockout = TimeSpan.FromMinutes(15);

    private readonly LocalIdentityOptions _options;
    private readonly LocalSigningKey _signingKey;
    private readonly TimeProvider _time;
    private readonly string _connectionString;
    private readonly IPasswordHasher<string> _hasher;
    private readonly JsonWebTokenHandler _tokens = new();
    private readonly ConcurrentDictionary<string, Challenge> _challenges = new();
    private readonly Lazy<string> _dummyHash;
    private readonly IServer? _server;
    private string? _listeningBaseUrl;

    public LocalUserDirectory(
        IOptions<LocalIdentityOptions> options, LocalSigningKey signingKey, IHostEnvironment environment, TimeProvider time, IPasswordHasher<string> hasher,
        IServer? server = null)
    {
        _hasher = hasher;
        _options = options.Value;
        _server = server;
        _signingKey = signingKey;
        _time = time;
        DataDirectory = Path.GetFullPath(_options.DataDirectory, environment.ContentRootPath);
        _connectionString = Sqlite.ConnectionString(Path.Combine(DataDirectory, "local-idp.db"), pooling: true);
        _dummyHash = new Lazy<string>(() => _hasher.HashPassword(string.Empty, PasswordPolicy.Generate()));
    }

    public string DataDirectory { get; }

    /// <summary>The numbered migrations of local-idp.db.</summary>
    internal static readonly SchemaMigrations Migrations = SchemaMigrations.Embedded("Identity/Local/Migrations/");

    /// <summary>Creates local-idp.db or brings it to the latest schema version.</summary>
    public async Task<SchemaUpgrade> InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        await using var connection = await OpenAsync(cancellationToken);
        await using (var wal = connection.Command("PRAGMA journal_mode = WAL"))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        return await SqliteMigrator.UpgradeAsync(connection, Migrations, "user", "local-idp.db", cancellationToken);
    }

    /// <summary>Creates a confirmed user with a known password (the seeded system admin). False when it exists.</summary>
    public async Task<bool> TryCreateConfirmedUserAsync(UserPool pool, NewDirectoryUser user, string password, CancellationToken cancellationToken)
    {
        // Every start seeds the admin through here: look first, so that a restart does not pay a password hash
        // (PBKDF2, slow by design) for a user that exists. The insert still refuses a racing duplicate.
        if (await GetUserAsync(pool, user.UserName, cancellationToken) is not null)
        {
            return false;
        }

        try
        {
            await InsertUserAsync(pool, user, password, UserStatus.Confirmed, cancellationToken);
            return true;
        }
        catch (DirectoryException e) when (e.Error == DirectoryError.UserExists)
        {
            return false;
        }
    }

    public async Task CreateGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO user_group (pool, group_name) VALUES (@pool, @group)", null, ("@pool", pool.ToString()), ("@group", groupName));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            throw new DirectoryException(DirectoryError.GroupExists, "A group with the name already exists.");
        }
    }

    public async Task DeleteGroupAsync(UserPool pool, string groupName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM group_member WHERE pool = @pool AND group_name = @group; DELETE FROM user_group WHERE pool = @pool AND group_name = @group;",
            null,
            ("@pool", pool.ToString()),
            ("@group", groupName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DirectoryUser> CreateUserAsync(UserPool pool, NewDirectoryUser user, CancellationToken cancellationToken)
    {
        var temporaryPassword = PasswordPolicy.Generate();
        var created = await InsertUserAsync(pool, user, temporaryPassword, UserStatus.PasswordChangeRequired, cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO mailbox (recipient, subject, body, user_name, temporary_password, sent_at)
            VALUES (@to, @subject, @body, @user, @password, @sent)
            """,
            null,
            ("@to", user.Email),
            ("@subject", "Your temporary password"),
            ("@body", $"Your username is {user.UserName} and temporary password is {temporaryPassword}. Sign in to choose a new password."),
            ("@user", user.UserName),
            ("@password", temporaryPassword),
            ("@sent", StoredTime.Format(_time.GetUtcNow())));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return created;
    }

    public async Task AddUserToGroupAsync(UserPool pool, string userName, string groupName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO group_member (pool, group_name, user_name)
            SELECT @pool, @group, @user
            WHERE EXISTS (SELECT 1 FROM user_group WHERE pool = @pool AND group_name = @group)
              AND EXISTS (SELECT 1 FROM user WHERE pool = @pool AND user_name = @user)
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            null,
            ("@pool", pool.ToString()),
            ("@group", groupName),
            ("@user", userName));
        if (await command.ExecuteScalarAsync(cancellationToken) is null
            && await GetUserAsync(pool, userName, cancellationToken) is null)
        {
            throw new DirectoryException(DirectoryError.UserNotFound, "User does not exist.");
        }
    }

    public async Task<DirectoryUser?> GetUserAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {UserColumns} FROM user WHERE pool = @pool AND user_name = @user", null, ("@pool", pool.ToString()), ("@user", userName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader) : null;
    }

    public async Task<Page<DirectoryUser>> ListUsersInGroupAsync(UserPool pool, string groupName, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var exists = connection.Command(
            "SELECT 1 FROM user_group WHERE pool = @pool AND group_name = @group", null, ("@pool", pool.ToString()), ("@group", groupName));
        await using (exists)
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                throw new DirectoryException(DirectoryError.GroupNotFound, "Group not found.");
            }
        }

        return await ListAsync(
            connection,
            $"SELECT {UserColumns} FROM user WHERE pool = @pool AND user_name IN (SELECT user_name FROM group_member WHERE pool = @pool AND group_name = @group)",
            limit,
            nextToken,
            cancellationToken,
            ("@pool", pool.ToString()),
            ("@group", groupName));
    }

    public async Task<Page<DirectoryUser>> ListUsersAsync(UserPool pool, int limit, string? nextToken, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ListAsync(connection, $"SELECT {UserColumns} FROM user WHERE pool = @pool", limit, nextToken, cancellationToken, ("@pool", pool.ToString()));
    }

    public async Task UpdateUserAsync(UserPool pool, string userName, string? email, string? userRole, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE user SET email = coalesce(@email, email), user_role = coalesce(@role, user_role) WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@email", email),
            ("@role", userRole));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DirectoryException(DirectoryError.UserNotFound, "User does not exist.");
        }
    }

    public async Task SetUserEnabledAsync(UserPool pool, string userName, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE user SET enabled = @enabled WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@enabled", enabled ? 1 : 0));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new DirectoryException(DirectoryError.UserNotFound, "User does not exist.");
        }
    }

    public async Task DeleteUserAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            DELETE FROM group_member WHERE pool = @pool AND user_name = @user;
            DELETE FROM refresh_token WHERE pool = @pool AND user_name = @user;
            DELETE FROM sign_in_failure WHERE pool = @pool AND user_name = @user;
            DELETE FROM user WHERE pool = @pool AND user_name = @user;
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<SignInResult> SignInAsync(UserPool pool, string userName, string password, CancellationToken cancellationToken)
    {
        var stored = await GetStoredUserAsync(pool, userName, cancellationToken);
        if (stored is null)
        {
            // Pay for one hash either way, so that the answer's timing does not tell which user names exist.
            _hasher.VerifyHashedPassword(string.Empty, _dummyHash.Value, password);
            throw NotAuthorized();
        }

        // A locked account is refused before its password is checked, so that a right guess during the lockout
        // tells nothing; the answer is Cognito's for the same case.
        var (failed, lockedUntil) = await FailuresAsync(pool, userName, cancellationToken);
        if (lockedUntil > _time.GetUtcNow())
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Password attempts exceeded");
        }

        if (_hasher.VerifyHashedPassword(userName, stored.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            await RecordFailureAsync(pool, userName, cancellationToken);
            throw NotAuthorized();
        }

        if (!stored.User.Enabled)
        {
            throw NotAuthorized();
        }

        if (failed)
        {
            await ClearFailuresAsync(pool, userName, cancellationToken);
        }

        if (stored.User.Status == UserStatus.PasswordChangeRequired)
        {
            var session = RandomToken();
            PruneChallenges();
            _challenges[session] = new Challenge(pool, userName, _time.GetUtcNow() + ChallengeLifetime);
            return new SignInResult(null, session);
        }

        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: true, cancellationToken));
    }

    public async Task<SignInResult> RespondToNewPasswordAsync(UserPool pool, string userName, string session, string newPassword, CancellationToken cancellationToken)
    {
        if (!_challenges.TryGetValue(session, out var challenge)
            || challenge.Pool != pool
            || challenge.UserName != userName
            || challenge.ExpiresAt < _time.GetUtcNow())
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Invalid session for the user, session is expired.");
        }

        if (PasswordPolicy.Violation(newPassword) is { } violation)
        {
            throw new DirectoryException(DirectoryError.InvalidPassword, violation);
        }

        _challenges.TryRemove(session, out _);
        await using (var connection = await OpenAsync(cancellationToken))
        await using (var command = connection.Command(
            "UPDATE user SET password_hash = @hash, status = @status WHERE pool = @pool AND user_name = @user AND enabled = 1",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@hash", _hasher.HashPassword(userName, newPassword)),
            ("@status", StoredStatus(UserStatus.Confirmed))))
        {
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                throw NotAuthorized();
            }
        }

        var stored = await GetStoredUserAsync(pool, userName, cancellationToken) ?? throw NotAuthorized();
        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: true, cancellationToken));
    }

    public async Task<SignInResult> RefreshAsync(UserPool pool, string refreshToken, CancellationToken cancellationToken)
    {
        string? userName;
        await using (var connection = await OpenAsync(cancellationToken))
        await using (var command = connection.Command(
            "SELECT user_name FROM refresh_token WHERE token_hash = @hash AND pool = @pool AND expires_at > @now",
            null,
            ("@hash", Hash(refreshToken)),
            ("@pool", pool.ToString()),
            ("@now", StoredTime.Format(_time.GetUtcNow()))))
        {
            userName = await command.ExecuteScalarAsync(cancellationToken) as string;
        }

        var stored = userName is null ? null : await GetStoredUserAsync(pool, userName, cancellationToken);
        if (stored is not { User.Enabled: true })
        {
            throw new DirectoryException(DirectoryError.NotAuthorized, "Invalid Refresh Token.");
        }

        return new SignInResult(await IssueTokensAsync(pool, stored, withRefreshToken: false, cancellationToken));
    }

    public PoolIssuer IssuerOf(UserPool pool) => pool == UserPool.Operations
        ? new PoolIssuer(pool, IssuerUrl(_options.OperationsPoolId), _options.OperationsClientId)
        : new PoolIssuer(pool, IssuerUrl(_options.TenantPoolId), _options.TenantClientId);

    public PoolSigningKeys SigningKeysOf(UserPool pool) => new(_signingKey.For(pool).PublicKey, null);

    /// <summary>The pool with this id, if it is one of the two.</summary>
    public UserPool? PoolById(string poolId) =>
        poolId == _options.OperationsPoolId ? UserPool.Operations : poolId == _options.TenantPoolId ? UserPool.Tenant : null;

    /// <summary>The dev mailbox, newest first.</summary>
    public async Task<IReadOnlyList<MailMessage>> ReadMailboxAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT recipient, subject, body, user_name, temporary_password, sent_at FROM mailbox ORDER BY id DESC LIMIT @limit",
            null,
            ("@limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<MailMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new MailMessage(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.NullableString(4),
                StoredTime.Parse(reader.GetString(5))));
        }

        return messages;
    }

    /// <summary>Whether failed sign-ins are counted for the user, and until when it is locked, if it is.</summary>
    private async Task<(bool Failed, DateTimeOffset? LockedUntil)> FailuresAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT locked_until FROM sign_in_failure WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (true, reader.NullableString(0) is { } lockedUntil ? StoredTime.Parse(lockedUntil) : null)
            : (false, null);
    }

    /// <summary>
    /// Counts a wrong password; from the <see cref="FailuresBeforeLockout"/>th in a row on, the account is locked
    /// for <see cref="FirstLockout"/>, doubled for each failure beyond it, at most <see cref="MaxLockout"/>.
    /// </summary>
    private async Task RecordFailureAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        long failures;
        await using (var count = connection.Command(
            """
            INSERT INTO sign_in_failure (pool, user_name, failures) VALUES (@pool, @user, 1)
            ON CONFLICT (pool, user_name) DO UPDATE SET failures = failures + 1
            RETURNING failures
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName)))
        {
            failures = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        if (failures < FailuresBeforeLockout)
        {
            return;
        }

        var doublings = (int)Math.Min(failures - FailuresBeforeLockout, 20);
        var lockout = TimeSpan.FromTicks(Math.Min(FirstLockout.Ticks << doublings, MaxLockout.Ticks));
        await using var lockCommand = connection.Command(
            "UPDATE sign_in_failure SET locked_until = @until WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName),
            ("@until", StoredTime.Format(_time.GetUtcNow() + lockout)));
        await lockCommand.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task ClearFailuresAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM sign_in_failure WHERE pool = @pool AND user_name = @user",
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string IssuerUrl(string poolId) => IssuerBaseUrl.TrimEnd('/') + "/local-idp/" + poolId;

    /// <summary>
    /// The configured base, else the address the server listens on (read once it listens, then kept: tokens already
    /// issued must keep validating), else <c>http://localhost</c> (an in-memory test server's address).
    /// </summary>
    private string IssuerBaseUrl =>
        _options.IssuerBaseUrl ?? (_listeningBaseUrl ??= ListeningAddress.BaseUrl(_server)) ?? ListeningAddress.InMemoryBaseUrl;

    private async Task<DirectoryUser> InsertUserAsync(UserPool pool, NewDirectoryUser user, string password, UserStatus status, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var hash = _hasher.HashPassword(user.UserName, password);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            """
            INSERT INTO user (pool, user_name, sub, email, tenant_id, user_role, password_hash, enabled, status, created_at)
            VALUES (@pool, @user, @sub, @email, @tenant, @role, @hash, 1, @status, @created)
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", user.UserName),
            ("@sub", Guid.NewGuid().ToString()),
            ("@email", user.Email),
            ("@tenant", user.TenantId),
            ("@role", user.UserRole),
            ("@hash", hash),
            ("@status", StoredStatus(status)),
            ("@created", StoredTime.Format(now)));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException e) when (e.IsUniqueViolation())
        {
            throw new DirectoryException(DirectoryError.UserExists, "User account already exists.");
        }

        return new DirectoryUser(user.UserName, user.Email, user.TenantId, user.UserRole, true, status, now);
    }

    private static async Task<Page<DirectoryUser>> ListAsync(
        SqliteConnection connection, string select, int limit, string? nextToken, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var after = nextToken is null ? null : PageTokens.Decode(nextToken, 1)[0];
        await using var command = connection.Command(
            select + " AND (@after IS NULL OR user_name > @after) ORDER BY user_name LIMIT @take",
            null,
            [.. parameters, ("@after", after), ("@take", limit + 1)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<DirectoryUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (users.Count == limit)
            {
                return new Page<DirectoryUser>(users, PageTokens.Encode(users[^1].UserName));
            }

            users.Add(ReadUser(reader));
        }

        return new Page<DirectoryUser>(users, null);
    }

    private async Task<StoredUser?> GetStoredUserAsync(UserPool pool, string userName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            SELECT {UserColumns}, password_hash, sub,
                (SELECT json_group_array(group_name) FROM group_member WHERE pool = @pool AND user_name = @user)
            FROM user WHERE pool = @pool AND user_name = @user
            """,
            null,
            ("@pool", pool.ToString()),
            ("@user", userName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var groups = System.Text.Json.JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [];
        return new StoredUser(ReadUser(reader), reader.GetString(7), reader.GetString(8), groups);
    }

    private async Task<TokenSet> IssueTokensAsync(UserPool pool, StoredUser stored, bool withRefreshToken, CancellationToken cancellationToken)
    {
        var issuer = IssuerOf(pool);
        var now = _time.GetUtcNow();
        var expires = now + _options.TokenLifetime;
        var user = stored.User;
        var idClaims = new Dictionary<string, object>
        {
            ["sub"] = stored.Sub,
            ["cognito:username"] = user.UserName,
            ["email"] = user.Email,
            ["email_verified"] = true,
            ["token_use"] = "id",
            ["auth_time"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        };
        if (user.TenantId is not null)
        {
            idClaims["custom:tenantId"] = user.TenantId;
        }

        if (user.UserRole is not null)
        {
            idClaims["custom:userRole"] = user.UserRole;
        }

        if (stored.Groups.Length > 0)
        {
            idClaims["cognito:groups"] = stored.Groups;
        }

        var credentials = _signingKey.For(pool).Credentials;
        var idToken = Sign(issuer.Issuer, issuer.ClientId, idClaims, now, expires, credentials);
        var accessToken = Sign(issuer.Issuer, audience: null, new Dictionary<string, object>
        {
            ["sub"] = stored.Sub,
            ["username"] = user.UserName,
            ["client_id"] = issuer.ClientId,
            ["token_use"] = "access",
            ["scope"] = "aws.cognito.signin.user.admin",
            ["auth_time"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        }, now, expires, credentials);

        string? refreshToken = null;
        if (withRefreshToken)
        {
            refreshToken = RandomToken();
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.Command(
                "INSERT INTO refresh_token (token_hash, pool, user_name, expires_at) VALUES (@hash, @pool, @user, @expires)",
                null,
                ("@hash", Hash(refreshToken)),
                ("@pool", pool.ToString()),
                ("@user", user.UserName),
                ("@expires", StoredTime.Format(now + _options.RefreshTokenLifetime)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new TokenSet(idToken, accessToken, refreshToken, (int)_options.TokenLifetime.TotalSeconds);
    }

    private string Sign(string issuer, string? audience, Dictionary<string, object> claims, DateTimeOffset now, DateTimeOffset expires, SigningCredentials credentials) =>
        _tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = credentials,
        });

    private void PruneChallenges()
    {
        var now = _time.GetUtcNow();
        foreach (var (session, challenge) in _challenges)
        {
            if (challenge.ExpiresAt < now)
            {
                _challenges.TryRemove(session, out _);
            }
        }
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) => Sqlite.OpenAsync(_connectionString, cancellationToken);

    private static DirectoryUser ReadUser(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.NullableString(2),
        reader.NullableString(3),
        reader.GetInt64(4) == 1,
        reader.GetString(5) switch
        {
            ConfirmedText => UserStatus.Confirmed,
            PasswordChangeRequiredText => UserStatus.PasswordChangeRequired,
            _ => UserStatus.Unknown,
        },
        StoredTime.Parse(reader.GetString(6)));

    // The status column keeps the words it was created with, Cognito's, so that existing files read unchanged.
    private const string ConfirmedText = "CONFIRMED";
    private const string PasswordChangeRequiredText = "FORCE_CHANGE_PASSWORD";

    private static string StoredStatus(UserStatus status) => status switch
    {
        UserStatus.Confirmed => ConfirmedText,
        UserStatus.PasswordChangeRequired => PasswordChangeRequiredText,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "The local provider keeps confirmed users and users with a temporary password."),
    };

    private static DirectoryException NotAuthorized() => new(DirectoryError.NotAuthorized, "Incorrect username or password.");

    private static string RandomToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record StoredUser(DirectoryUser User, string PasswordHash, string Sub, string[] Groups);

    private sealed record Challenge(UserPool Pool, string UserName, DateTimeOffset ExpiresAt);
}

public sealed record MailMessage(string To, string Subject, string Body, string UserName, string? TemporaryPassword, DateTimeOffset SentAt);
