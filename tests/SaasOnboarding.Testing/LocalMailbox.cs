using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Testing;

/// <summary>
/// Reads the local identity provider's mailbox table from its file, as the operator of a host outside Development
/// would: there the mailbox is not served over HTTP.
/// </summary>
public static class LocalMailbox
{
    public static string TemporaryPassword(string dataDirectory, string userName)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "local-idp.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT temporary_password FROM mailbox WHERE user_name = $user ORDER BY id DESC LIMIT 1";
        command.Parameters.AddWithValue("$user", userName);
        return command.ExecuteScalar() as string ?? throw new InvalidOperationException($"No message for {userName}.");
    }
}
