using System.CommandLine;
using System.Runtime.InteropServices;
using ImageGuide.IO;
using ImageGuide.Workflows;
using Spectre.Console;

namespace ImageGuide.Cli;

/// <summary>Exit codes of the CLI contract (README, "CLI contract").</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;
    /// <summary>Anything else (an internal error).</summary>
    public const int Failure = 1;
    /// <summary>Cancelled (Ctrl-C): 128 + SIGINT, as shells report an interrupted command.</summary>
    public const int Cancelled = 130;
    /// <summary>Bad usage: wrong or missing arguments.</summary>
    public const int BadUsage = 2;
    /// <summary>Bad or unsupported input (message on stderr).</summary>
    public const int BadInput = 3;
    /// <summary>
    /// The registration did not pass its quality check (verdict failed): its outputs are still written, marked
    /// failed, and the reasons are on stderr.
    /// </summary>
    public const int QualityCheckFailed = 4;
    /// <summary>
    /// DICOM network failure: the peer cannot be reached, rejects or aborts the association, breaks the protocol,
    /// times out, or refuses an instance or a retrieve (failure status).
    /// </summary>
    public const int NetworkFailure = 5;
}

/// <summary>Thrown by commands for wrong arguments detected after parsing (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Parses, runs, and maps failures to the contract's exit codes with a message on stderr.</summary>
internal static class CliRunner
{
    /// <summary>Standard output for tables: plain text (no colour codes) when redirected to a file or pipe.</summary>
    public static IAnsiConsole Out { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    });

    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("Run 'imageguide --help' for usage.");
            return ExitCodes.BadUsage;
        }
        try
        {
            // Ctrl-C (or SIGTERM) cancels the command's token: it stops at its next check, cleans up (temporary files,
            // locks), says "cancelled" and exits 130; a second Ctrl-C terminates at once
            using var cancel = new CancellationTokenSource();
            void OnSignal(PosixSignalContext context)
            {
                if (cancel.IsCancellationRequested) return;
                context.Cancel = true;
                cancel.Cancel();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            int code = await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancel.Token);
            if (JsonWriterExtensions.NonFiniteWritten is > 0 and var n)
                Console.Error.WriteLine($"warning: {n} number(s) were not finite (NaN or ±∞: an empty selection, or an input with such values) and are written as null in the JSON.");
            return code;
        }
        catch (Exception e) when (e is UsageException or InvalidJobException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (ImageGuide.Dicom.Network.DicomNetworkException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.NetworkFailure;
        }
        catch (ImageGuideException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the environment, not the program: a read-only or full disk, a missing folder; the message names the path
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error ({e.GetType().Name}): {e.Message}");
            Console.Error.WriteLine(e.StackTrace);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Progress display on stderr only when it is a terminal; scripts get clean stdout.</summary>
    public static async Task<T> WithProgressAsync<T>(string title, Func<IProgress<double>, Task<T>> work)
    {
        if (Console.IsErrorRedirected || Console.IsOutputRedirected)
            return await work(new Progress<double>(_ => { }));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await console.Progress().AutoClear(true).StartAsync(async ctx =>
        {
            var task = ctx.AddTask(title, maxValue: 1.0);
            result = await work(new SyncProgress(v => task.Value = v));
        });
        return result;
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool and can arrive out of order).</summary>
    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(Math.Clamp(value, 0, 1));
    }
}
