using SaasOnboarding.Api.Hosting;

namespace SaasOnboarding.Testing;

/// <summary>
/// The embedded app as it runs on AWS Lambda (<c>AWS_LAMBDA_FUNCTION_NAME</c> set, as Lambda sets it), with a configured
/// webhook secret key and <see cref="WebhookSettings.Fast"/>, except that the dispatcher's own timer waits an hour: a
/// delivery within a test is the scheduled event's doing.
/// </summary>
public sealed class LambdaApp() : AppFactory(null, Settings())
{
    public const string FunctionName = "saas-onboarding-api";

    /// <summary>The key the app seals the signing secrets with (32 bytes in base64).</summary>
    public static readonly string SecretKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>An EventBridge schedule's event, as Lambda receives it and the adapter passes it on.</summary>
    public const string ScheduledEventBody = """
        {"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event","source":"aws.events",
         "account":"123456789012","time":"2026-12-06T09:00:00Z","region":"eu-west-1",
         "resources":["arn:aws:events:eu-west-1:123456789012:rule/saas-onboarding-PassSchedule"],"detail":{}}
        """;

    /// <summary>
    /// The request the Lambda Web Adapter makes of a non-HTTP event: a POST of the event to its pass-through path
    /// (<paramref name="path"/>; no stage), with the request context <c>null</c> and the Lambda context.
    /// </summary>
    public static HttpRequestMessage FromAdapter(string body, string path = LambdaEvents.Path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(LambdaEvents.RequestContextHeader, "null");
        request.Headers.Add("x-amzn-lambda-context", """{"request_id":"8476a536-e9f4-11e8-9739-2dfe598c3fcd","deadline":1765011629000,"invoked_function_arn":"arn:aws:lambda:eu-west-1:123456789012:function:saas-onboarding-api"}""");
        return request;
    }

    private static Dictionary<string, string?> Settings()
    {
        var settings = WebhookSettings.Fast();
        settings[LambdaEvents.FunctionNameVariable] = FunctionName;
        settings["Webhooks:SecretKey"] = SecretKey;
        settings["Webhooks:DispatchInterval"] = "01:00:00";
        return settings;
    }
}
