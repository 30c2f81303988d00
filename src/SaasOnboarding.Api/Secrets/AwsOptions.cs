namespace SaasOnboarding.Api.Secrets;

/// <summary>Where the AWS SDK clients go. Empty on Lambda: region and credentials come from the environment.</summary>
public sealed class AwsOptions
{
    public const string Section = "AWS";

    /// <summary>For example <c>eu-west-1</c>; otherwise the SDK's own resolution (AWS_REGION on Lambda).</summary>
    public string? Region { get; set; }

    /// <summary>Overrides the service endpoint, for a local stand-in in tests or development.</summary>
    public string? ServiceURL { get; set; }
}
