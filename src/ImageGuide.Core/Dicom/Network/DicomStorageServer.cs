using System.Net;
using System.Net.Sockets;

namespace ImageGuide.Dicom.Network;

/// <summary>Options of a <see cref="DicomStorageServer"/>.</summary>
public sealed record DicomStorageServerOptions
{
    /// <summary>This SCP's AE title; associations calling another title are rejected (A-ASSOCIATE-RJ, called AE not recognized).</summary>
    public required string AeTitle { get; init; }

    /// <summary>Folder that receives <c>&lt;StudyUID&gt;/&lt;SeriesUID&gt;/&lt;SOPInstanceUID&gt;.dcm</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>TCP port; 0 picks a free one (see <see cref="DicomStorageServer.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>Address to listen on; default all interfaces.</summary>
    public IPAddress Address { get; init; } = IPAddress.Any;

    /// <summary>Calling AE titles allowed; null or empty allows any.</summary>
    public IReadOnlyCollection<string>? AllowedCallingAeTitles { get; init; }

    /// <summary>Associations served at once; more are rejected transiently (local limit exceeded). Default 32.</summary>
    public int MaxAssociations { get; init; } = 32;

    /// <summary>Timeouts and limits per association.</summary>
    public DicomNetworkSettings Settings { get; init; } = DicomNetworkSettings.Default;
}

/// <summary>How one association ended.</summary>
/// <param name="CallingAeTitle">The requester's AE title ("" when it never sent an A-ASSOCIATE-RQ).</param>
/// <param name="Remote">Its address and port.</param>
/// <param name="Started">When the connection was accepted.</param>
/// <param name="Duration">How long it lasted.</param>
/// <param name="Stored">Instances filed (duplicates included).</param>
/// <param name="Failed">Instances refused.</param>
/// <param name="Echoes">C-ECHO requests answered.</param>
/// <param name="Outcome">"released", "rejected", "aborted" or "error".</param>
/// <param name="Error">What went wrong, for "aborted", "rejected" and "error".</param>
public sealed record AssociationSummary(string CallingAeTitle, string Remote, DateTimeOffset Started, TimeSpan Duration,
    int Stored, int Failed, int Echoes, string Outcome, string? Error);

/// <summary>
/// A Storage and Verification SCP (C-STORE, C-ECHO): listens on a TCP port, serves several associations at once
/// (each in its own task, so a stalled or broken peer never holds up the others), streams every incoming data set
/// to disk and files it through <see cref="DicomInstanceStore"/> (atomic, never overwriting). A malformed PDU, an
/// abort or a timeout ends only that association; completed instances are already filed.
/// </summary>
public sealed class DicomStorageServer : IAsyncDisposable
{
    /// <summary>Verification SOP Class.</summary>
    public const string VerificationSopClass = "1.2.840.10008.1.1";

    /// <summary>Prefix of the Storage SOP classes (PS3.4 Annex B) accepted.</summary>
    public const string StorageSopClassPrefix = "1.2.840.10008.5.1.4.1.1.";

    private readonly DicomStorageServerOptions _options;
    private readonly TcpListener _listener;
    private readonly DicomInstanceStore _store;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly HashSet<Task> _running = [];
    private int _active;

    private DicomStorageServer(DicomStorageServerOptions options)
    {
        DicomNetworkSettings.ValidateAeTitle(options.AeTitle, nameof(options.AeTitle));
        options.Settings.Validate();
        if (options.MaxAssociations < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxAssociations must be at least 1");
        _options = options;
        _store = new DicomInstanceStore(options.OutputDirectory);
        _listener = new TcpListener(options.Address, options.Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start(64);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Raised (on a pool thread) after each instance is filed or refused.</summary>
    public event Action<StoredInstance>? InstanceStored;

    /// <summary>Raised (on a pool thread) when an association ends, however it ended.</summary>
    public event Action<AssociationSummary>? AssociationEnded;

    /// <summary>The TCP port listened on.</summary>
    public int Port { get; }

    /// <summary>Starts listening.</summary>
    /// <exception cref="SocketException">The port cannot be bound.</exception>
    /// <exception cref="ArgumentException">The AE title is invalid.</exception>
    public static DicomStorageServer Start(DicomStorageServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DicomStorageServer(options);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException) { continue; }
            client.NoDelay = true;
            Task t = Task.Run(() => ServeAsync(client));
            lock (_running) _running.Add(t);
            _ = t.ContinueWith(done => { lock (_running) _running.Remove(done); }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var started = DateTimeOffset.UtcNow;
        string remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        string calling = "";
        int stored = 0, failed = 0, echoes = 0;
        string outcome = "released";
        string? error = null;
        bool overLimit = Interlocked.Increment(ref _active) > _options.MaxAssociations;
        DicomAssociation? association = null;
        try
        {
            var settings = _options.Settings;
            association = await DicomAssociation.AcceptAsync(client, settings, rq =>
            {
                calling = rq.CallingAeTitle;
                var d = Decide(rq, overLimit);
                if (d.Reject is { } r) { outcome = "rejected"; error = r.ToString(); }
                return d;
            }, _stop.Token).ConfigureAwait(false);
            if (association is null) return;
            DicomInstanceStore.Pending? pending = null;
            try
            {
                while (true)
                {
                    pending?.Dispose();
                    pending = null;
                    var message = await association.ReceiveMessageAsync(settings.DimseTimeout, (command, context) =>
                    {
                        if (command.CommandField == DimseCommandField.CStoreRequest)
                        {
                            pending = _store.Begin(command.AffectedSopClassUid ?? context.AbstractSyntax, command.AffectedSopInstanceUid ?? "", context.TransferSyntax, calling);
                            return new DatasetSink(pending.Stream, long.MaxValue);
                        }
                        return new DatasetSink(Stream.Null, settings.MaxInMemoryDatasetLength);
                    }, _stop.Token).ConfigureAwait(false);
                    if (message is null) break; // released
                    var rq = message.Command;
                    var rsp = new DimseCommand
                    {
                        CommandField = (DimseCommandField)((ushort)rq.CommandField | 0x8000),
                        MessageIdBeingRespondedTo = rq.MessageId,
                        AffectedSopClassUid = rq.AffectedSopClassUid ?? message.Context.AbstractSyntax,
                    };
                    switch (rq.CommandField)
                    {
                        case DimseCommandField.CEchoRequest:
                            rsp.Status = DimseStatus.Success;
                            echoes++;
                            break;
                        case DimseCommandField.CStoreRequest:
                        {
                            rsp.AffectedSopInstanceUid = rq.AffectedSopInstanceUid;
                            StoredInstance result;
                            if (pending is null)
                                result = new StoredInstance(calling, rq.AffectedSopClassUid ?? "", rq.AffectedSopInstanceUid ?? "", "", "", null, 0,
                                    message.Context.TransferSyntax, DimseStatus.CannotUnderstand, false, "the C-STORE-RQ carries no data set");
                            else
                            {
                                result = _store.Complete(pending, rq.AffectedSopClassUid ?? message.Context.AbstractSyntax, rq.AffectedSopInstanceUid ?? "", message.Context.TransferSyntax, calling);
                                pending = null;
                            }
                            rsp.Status = result.Status;
                            if (result.Message is not null && result.Status != DimseStatus.Success) rsp.ErrorComment = Truncate(result.Message, 64);
                            if (result.Status == DimseStatus.Success) stored++; else failed++;
                            InstanceStored?.Invoke(result);
                            break;
                        }
                        default:
                            rsp.Status = 0x0211; // unrecognized operation
                            break;
                    }
                    await association.SendMessageAsync(message.Context, rsp, null, _stop.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                pending?.Dispose();
            }
        }
        catch (DicomAssociationAbortedException e) { outcome = "aborted"; error = e.Message; }
        catch (DicomNetworkException e) { outcome = "error"; error = e.Message; }
        catch (OperationCanceledException) { outcome = "aborted"; error = "the listener stopped"; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            outcome = "error";
            error = $"cannot file the instance in {_options.OutputDirectory}: {e.Message}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // whatever a peer sends must end its own association only, never the listener
            outcome = "error";
            error = $"internal error ({e.GetType().Name}): {e.Message}";
        }
        finally
        {
            if (association is not null) await association.AbortAsync(2, 0).ConfigureAwait(false);
            client.Dispose();
            Interlocked.Decrement(ref _active);
            AssociationEnded?.Invoke(new AssociationSummary(calling, remote, started, DateTimeOffset.UtcNow - started, stored, failed, echoes, outcome, error));
        }
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n];

    private AssociationDecision Decide(AssociateParameters rq, bool overLimit)
    {
        if (rq.ApplicationContext != AssociateParameters.DicomApplicationContext)
            return new AssociationDecision(AssociateReject.ApplicationContextNotSupported, [], []);
        if (!string.Equals(rq.CalledAeTitle, _options.AeTitle.Trim(), StringComparison.Ordinal))
            return new AssociationDecision(AssociateReject.CalledAeNotRecognized, [], []);
        try { DicomNetworkSettings.ValidateAeTitle(rq.CallingAeTitle); }
        catch (ArgumentException) { return new AssociationDecision(AssociateReject.CallingAeNotRecognized, [], []); }
        if (_options.AllowedCallingAeTitles is { Count: > 0 } allowed && !allowed.Contains(rq.CallingAeTitle))
            return new AssociationDecision(AssociateReject.CallingAeNotRecognized, [], []);
        if (overLimit) return new AssociationDecision(AssociateReject.LocalLimitExceeded, [], []);
        return new AssociationDecision(null, AnswerStorage(rq.Proposals, acceptVerification: true), []);
    }

    /// <summary>Accepts Storage (and Verification) contexts in the first proposed transfer syntax ImageGuide reads.</summary>
    internal static List<PresentationContextAnswer> AnswerStorage(IReadOnlyList<PresentationContextProposal> proposals, bool acceptVerification)
    {
        var answers = new List<PresentationContextAnswer>(proposals.Count);
        foreach (var p in proposals)
        {
            bool known = (acceptVerification && p.AbstractSyntax == VerificationSopClass) || p.AbstractSyntax.StartsWith(StorageSopClassPrefix, StringComparison.Ordinal);
            if (!known) { answers.Add(new PresentationContextAnswer(p.Id, PresentationContextResult.AbstractSyntaxNotSupported, "")); continue; }
            string? ts = null;
            foreach (string offered in p.TransferSyntaxes)
                if (DicomNetworkSettings.ReadableTransferSyntaxes.Contains(offered)) { ts = offered; break; }
            answers.Add(ts is null
                ? new PresentationContextAnswer(p.Id, PresentationContextResult.TransferSyntaxesNotSupported, "")
                : new PresentationContextAnswer(p.Id, PresentationContextResult.Acceptance, ts));
        }
        return answers;
    }

    /// <summary>Stops listening, aborts the associations still open and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] running;
        lock (_running) running = [.. _running];
        await Task.WhenAll(running).ConfigureAwait(false);
        _stop.Dispose();
    }
}
