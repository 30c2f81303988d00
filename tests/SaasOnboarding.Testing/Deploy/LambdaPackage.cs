using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace SaasOnboarding.Testing;

/// <summary>
/// The deployment package, built by scripts/build-lambda.sh (as `sam build` would; scripts/test.sh builds it once
/// and names it in <see cref="PackageVariable"/>, else the first test builds it), and the app
/// started from it the way Lambda starts it: the handler script, run with the function's environment from
/// template.yaml. What cannot run here: the Lambda Web Adapter itself (so the test plays its part: it polls the
/// readiness path on the adapter's port, then sends requests with the stage in the path as the adapter forwards
/// them), Cognito and the cloud store (so the embedded defaults stand in for them), and SSM (so a configured webhook
/// secret key stands in for its parameter).
/// </summary>
public sealed class LambdaPackage : IAsyncLifetime
{
    public const string Handler = "bootstrap";

    /// <summary>Names a package that <c>scripts/test.sh</c> built with scripts/build-lambda.sh; the fixture builds one itself when unset.</summary>
    public const string PackageVariable = "SAAS_LAMBDA_PACKAGE";

    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _dataDirectory;

    /// <summary>Where the package's embedded stores and local identity provider keep their files.</summary>
    public string DataDirectory => _dataDirectory ?? throw new InvalidOperationException("The package has not started.");

    public string Directory { get; private set; } = string.Empty;

    public Dictionary<string, string> Environment { get; private set; } = [];

    public string ReadinessPath { get; private set; } = string.Empty;

    public string TemplatePort { get; private set; } = string.Empty;

    public Uri BaseAddress { get; private set; } = null!;

    public TimeSpan TimeToReady { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        Directory = await Built.Value;
        var template = SamTemplate.Load();
        var environment = template.Evaluator().Environment(SamTemplate.FunctionId);
        ReadinessPath = environment["AWS_LWA_READINESS_CHECK_PATH"];
        TemplatePort = environment["AWS_LWA_PORT"];

        // The template's port (8080) may be taken on a shared machine: the adapter's variable gets a free one.
        var port = FreePort();
        environment["AWS_LWA_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Cognito and the cloud store are out of reach here: the embedded defaults stand in, in a directory of
        // their own. Everything else (path base, logging, environment name, the adapter's settings) is the template's.
        _dataDirectory = System.IO.Directory.CreateTempSubdirectory("saas-lambda-data-").FullName;
        environment["Identity__Provider"] = "Local";
        environment["Storage__Provider"] = "Embedded";
        environment["Storage__Embedded__DataDirectory"] = _dataDirectory;
        environment["Identity__Local__DataDirectory"] = _dataDirectory;
        environment["Identity__Local__AdminPassword"] = AppFactory.AdminPassword;
        environment.Remove("Webhooks__SecretKeyParameterName");
        environment["Webhooks__SecretKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Environment = environment;

        var start = new ProcessStartInfo(Path.Combine(Directory, Handler))
        {
            // Lambda starts the handler from the task root, with its own variables and the function's, nothing else.
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        // provided.al2023 has no .NET runtime: nothing but the OS is on the PATH.
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["LAMBDA_TASK_ROOT"] = Directory;
        start.Environment["_HANDLER"] = Handler;
        start.Environment["AWS_REGION"] = CfnEvaluator.Region;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "saas-onboarding-api";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "1024";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        await WaitUntilReadyAsync();
        TimeToReady = stopwatch.Elapsed;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        if (_dataDirectory is not null)
        {
            System.IO.Directory.Delete(_dataDirectory, recursive: true);
        }

        // One class uses the package: it goes with that class's fixture.
        if (Directory.Length > 0)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>As the adapter does: GET the readiness path until it answers with a status from 100 to 499.</summary>
    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process!.HasExited, $"The app exited with {(_process.HasExited ? _process.ExitCode : 0)} before it was ready:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, ReadinessPath));
                if ((int)response.StatusCode is >= 100 and < 500)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            await Task.Delay(50);
        }

        Assert.Fail($"{ReadinessPath} did not answer within 60 s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static async Task<string> BuildAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"saas-lambda-package-{System.Environment.ProcessId}");
        if (System.Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } built)
        {
            // A copy, since the fixture deletes its package: the built one also serves AotApp's tests.
            var copy = new ProcessStartInfo("cp", ["-a", built.TrimEnd('/') + "/.", output]);
            System.IO.Directory.CreateDirectory(output);
            using var copying = Process.Start(copy)!;
            await copying.WaitForExitAsync();
            Assert.True(copying.ExitCode == 0, $"Copying the package {built} failed");
            return output;
        }

        var build = new ProcessStartInfo("bash", [Path.Combine(SamTemplate.RepositoryRoot, "scripts", "build-lambda.sh"), output])
        {
            WorkingDirectory = SamTemplate.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The test host's MSBuild variables would point the inner build at the outer one's SDK state.
        foreach (var name in build.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            build.Environment.Remove(name);
        }

        using var process = Process.Start(build)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("scripts/build-lambda.sh did not finish in 15 minutes");
        }

        Assert.True(process.ExitCode == 0, $"scripts/build-lambda.sh failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
