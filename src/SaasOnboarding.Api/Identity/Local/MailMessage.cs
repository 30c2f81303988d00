namespace SaasOnboarding.Api.Identity.Local;

/// <summary>A message in the dev mailbox.</summary>
public sealed record MailMessage(string To, string Subject, string Body, string UserName, string? TemporaryPassword, DateTimeOffset SentAt);
