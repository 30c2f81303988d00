using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace SaasOnboarding.Testing;

/// <summary>A process the tests start and kill, with its output kept for failure messages.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _standardOutput = new();

    private ChildProcess(Process process)
    {
        _process = process;
    }

    /// <summary>What it wrote to stdout and stderr so far.</summary>
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

    /// <summary>What it wrote to stdout alone.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_output)
            {
                return _standardOutput.ToString();
            }
        }
    }

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var child = new ChildProcess(Process.Start(start)!);
        child._process.OutputDataReceived += (_, line) => child.Append(line.Data, standardOutput: true);
        child._process.ErrorDataReceived += (_, line) => child.Append(line.Data, standardOutput: false);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a command to its end and answers its exit code, its stdout, and all its output.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        using var child = Start(fileName, arguments, workingDirectory);
        using var cancel = new CancellationTokenSource(timeout);
        await child._process.WaitForExitAsync(cancel.Token);

        // The asynchronous readers finish after the exit: wait for their last lines.
        child._process.WaitForExit();
        return (child._process.ExitCode, child.StandardOutput, child.Output);
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; fails with the process's output if it exits or takes too long.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{what}: the process exited with {_process.ExitCode}.\n{Output}");
            }

            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not ready within {timeout.TotalSeconds} s.\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL to the process and its children, and waits for them to end.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line, bool standardOutput)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
                if (standardOutput)
                {
                    _standardOutput.AppendLine(line);
                }
            }
        }
    }
}
