using System.Diagnostics;
using System.Globalization;
using ImageGuide.Dicom.Codecs;

namespace ImageGuide.Dicom.Network;

/// <summary>A DICOM peer: AE title, host and port, written <c>AE@HOST:PORT</c>.</summary>
/// <param name="AeTitle">Its AE title.</param>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">TCP port.</param>
public sealed record DicomPeer(string AeTitle, string Host, int Port)
{
    /// <summary>Parses <c>AE@HOST:PORT</c> (an IPv6 host in brackets: <c>AE@[::1]:104</c>).</summary>
    /// <exception cref="ArgumentException">The text is not of that form, the AE title is invalid or the port is out of range.</exception>
    public static DicomPeer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int at = text.LastIndexOf('@'), colon = text.LastIndexOf(':');
        if (at <= 0 || colon < at + 2 || colon == text.Length - 1)
            throw new ArgumentException($"'{text}' is not a peer address; write AE@HOST:PORT, e.g. PACS@127.0.0.1:4242");
        string ae = text[..at], host = text[(at + 1)..colon].Trim('[', ']');
        DicomNetworkSettings.ValidateAeTitle(ae, "AE");
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"'{text}': the port must be a number in 1–65535");
        return new DicomPeer(ae, host, port);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{AeTitle}@{Host}:{Port}";
}

/// <summary>Outcome of sending one file with C-STORE.</summary>
/// <param name="Path">The file.</param>
/// <param name="SopInstanceUid">Its SOP Instance UID ("" when it could not be read).</param>
/// <param name="Status">The peer's C-STORE-RSP status; null when the file was not sent.</param>
/// <param name="Message">Why it failed, or the peer's error comment; null on success.</param>
public sealed record StoreResult(string Path, string SopInstanceUid, ushort? Status, string? Message)
{
    /// <summary>Stored (success or warning status).</summary>
    public bool Succeeded => Status is { } s && DimseStatus.IsSuccessOrWarning(s);
}

/// <summary>Outcome of a C-MOVE or C-GET.</summary>
/// <param name="Status">The final response status.</param>
/// <param name="Completed">Sub-operations completed.</param>
/// <param name="Failed">Sub-operations failed.</param>
/// <param name="Warning">Sub-operations with a warning.</param>
/// <param name="Received">Instances received on this association (C-GET only).</param>
/// <param name="ErrorComment">The peer's error comment, when given.</param>
public sealed record RetrieveResult(ushort Status, int Completed, int Failed, int Warning, IReadOnlyList<StoredInstance> Received, string? ErrorComment)
{
    /// <summary>Success, or warning with no failed sub-operation.</summary>
    public bool Succeeded => DimseStatus.IsSuccessOrWarning(Status) && Failed == 0;
}

/// <summary>
/// DICOM SCU: C-ECHO, C-STORE, C-FIND, C-MOVE and C-GET against one peer, each on its own association (negotiated,
/// used, released). Asynchronous and cancellable; every wait bounded by <see cref="DicomNetworkSettings"/>. Failures
/// to connect, rejections, aborts and protocol errors are <see cref="DicomNetworkException"/>s; DIMSE statuses are
/// returned in the results (C-ECHO and C-FIND throw on a failure status, having nothing else to return).
/// </summary>
public sealed class DicomClient
{
    /// <summary>Patient Root Query/Retrieve – FIND, MOVE, GET (PS3.4 §C.6.1).</summary>
    public const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1", PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2", PatientRootGet = "1.2.840.10008.5.1.4.1.2.1.3";

    /// <summary>Study Root Query/Retrieve – FIND, MOVE, GET (PS3.4 §C.6.2).</summary>
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1", StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2", StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";

    /// <summary>Storage SOP classes offered (SCP role) within a C-GET: the images and objects of image-guided procedures.</summary>
    public static IReadOnlyList<string> GetStorageSopClasses { get; } =
    [
        "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1",
        "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.7.3",
        "1.2.840.10008.5.1.4.1.1.7.4", "1.2.840.10008.5.1.4.1.1.66", "1.2.840.10008.5.1.4.1.1.66.1", "1.2.840.10008.5.1.4.1.1.66.3",
        "1.2.840.10008.5.1.4.1.1.66.4", "1.2.840.10008.5.1.4.1.1.13.1.1", "1.2.840.10008.5.1.4.1.1.13.1.2", "1.2.840.10008.5.1.4.1.1.12.1",
        "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.20",
        "1.2.840.10008.5.1.4.1.1.128", "1.2.840.10008.5.1.4.1.1.481.2", "1.2.840.10008.5.1.4.1.1.481.3", "1.2.840.10008.5.1.4.1.1.481.5",
        "1.2.840.10008.5.1.4.1.1.104.1", "1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33",
    ];

    private static readonly string[] QueryTransferSyntaxes = [TransferSyntaxNames.ExplicitVRLittleEndian, TransferSyntaxNames.ImplicitVRLittleEndian];

    private readonly DicomPeer _peer;
    private readonly string _callingAe;
    private readonly DicomNetworkSettings _settings;
    private int _messageId;

    /// <summary>Creates a client for <paramref name="peer"/> calling itself <paramref name="callingAeTitle"/>.</summary>
    public DicomClient(DicomPeer peer, string callingAeTitle, DicomNetworkSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        DicomNetworkSettings.ValidateAeTitle(callingAeTitle, nameof(callingAeTitle));
        _peer = peer;
        _callingAe = callingAeTitle.Trim();
        _settings = settings ?? DicomNetworkSettings.Default;
        _settings.Validate();
    }

    private ushort NextMessageId() => (ushort)(Interlocked.Increment(ref _messageId) & 0xFFFF);

    private Task<DicomAssociation> OpenAsync(IReadOnlyList<PresentationContextProposal> proposals, IReadOnlyList<RoleSelection>? roles, CancellationToken ct) =>
        DicomAssociation.ConnectAsync(_peer.Host, _peer.Port, new AssociateParameters
        {
            CalledAeTitle = _peer.AeTitle, CallingAeTitle = _callingAe, Proposals = proposals,
            ImplementationVersionName = _settings.ImplementationVersionName, RoleSelections = roles ?? [],
        }, _settings, ct);

    private AcceptedContext Require(DicomAssociation a, string abstractSyntax, string what)
    {
        foreach (var c in a.Contexts.Values) if (c.AbstractSyntax == abstractSyntax) return c;
        throw new DicomNetworkException($"{_peer} did not accept {what} ({abstractSyntax}); it does not offer this service to AE '{_callingAe}'.");
    }

    /// <summary>C-ECHO: verifies that the peer answers; returns the round-trip time of association, echo and release.</summary>
    /// <exception cref="DicomNetworkException">Unreachable, rejected, aborted, or a failure status.</exception>
    public async Task<TimeSpan> EchoAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var a = await OpenAsync([new PresentationContextProposal(1, DicomStorageServer.VerificationSopClass, [TransferSyntaxNames.ImplicitVRLittleEndian])], null, cancellationToken).ConfigureAwait(false);
        try
        {
            var pc = Require(a, DicomStorageServer.VerificationSopClass, "Verification");
            var rq = new DimseCommand { CommandField = DimseCommandField.CEchoRequest, MessageId = NextMessageId(), AffectedSopClassUid = DicomStorageServer.VerificationSopClass };
            await a.SendMessageAsync(pc, rq, null, cancellationToken).ConfigureAwait(false);
            var rsp = await ReceiveResponseAsync(a, DimseCommandField.CEchoResponse, cancellationToken).ConfigureAwait(false);
            if (rsp.Command.Status != DimseStatus.Success)
                throw new DicomNetworkException($"{_peer} answered C-ECHO with status 0x{rsp.Command.Status:X4}.");
            await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return clock.Elapsed;
        }
        catch { await a.AbortAsync().ConfigureAwait(false); throw; }
    }

    /// <summary>
    /// C-STORE of Part 10 files on one association: one presentation context per SOP class and transfer syntax of
    /// the files (each file is sent as it is, byte for byte after its File Meta), data sets streamed from disk.
    /// A file that cannot be read or whose context the peer refused gets a result with the reason; the others are sent.
    /// </summary>
    /// <exception cref="DicomNetworkException">Unreachable, rejected, or the association broke.</exception>
    public async Task<IReadOnlyList<StoreResult>> StoreAsync(IReadOnlyList<string> files, IProgress<StoreResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var results = new StoreResult[files.Count];
        var items = new List<(int Index, string SopClass, string SopInstance, string Syntax, long Offset)>();
        foreach (var (path, i) in files.Select((f, i) => (f, i)))
        {
            try
            {
                var header = DicomFile.ReadHeader(path);
                var meta = header.FileMetaInformation;
                long offset = DicomInstanceStore.DatasetOffset(path);
                if (offset < 0 || !meta.TryGetString(DicomTags.MediaStorageSopClassUid, out var sopClass) || !meta.TryGetString(DicomTags.MediaStorageSopInstanceUid, out var sopInstance))
                { results[i] = new StoreResult(path, "", null, "not a Part 10 file with File Meta (SOP class and instance in group 0002); nothing sent"); continue; }
                items.Add((i, sopClass, sopInstance, header.TransferSyntaxUid, offset));
            }
            catch (DicomException e) { results[i] = new StoreResult(path, "", null, e.Message); }
        }
        // one context per (SOP class, transfer syntax); at most 128 per association
        var keys = items.Select(x => (x.SopClass, x.Syntax)).Distinct().ToList();
        for (int start = 0; start < keys.Count; start += 128)
        {
            var batch = keys.Skip(start).Take(128).ToList();
            var proposals = batch.Select((k, j) => new PresentationContextProposal((byte)(2 * j + 1), k.SopClass, [k.Syntax])).ToList();
            var a = await OpenAsync(proposals, null, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var it in items)
                {
                    int j = batch.IndexOf((it.SopClass, it.Syntax));
                    if (j < 0) continue;
                    string path = files[it.Index];
                    if (!a.Contexts.TryGetValue((byte)(2 * j + 1), out var pc))
                    {
                        results[it.Index] = new StoreResult(path, it.SopInstance, null, $"{_peer} refused SOP class {it.SopClass} in transfer syntax {it.Syntax}; not sent");
                        progress?.Report(results[it.Index]);
                        continue;
                    }
                    var rq = new DimseCommand
                    {
                        CommandField = DimseCommandField.CStoreRequest, MessageId = NextMessageId(), Priority = 0,
                        AffectedSopClassUid = it.SopClass, AffectedSopInstanceUid = it.SopInstance,
                    };
                    await using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
                    {
                        fs.Position = it.Offset;
                        await a.SendMessageAsync(pc, rq, fs, cancellationToken).ConfigureAwait(false);
                    }
                    var rsp = await ReceiveResponseAsync(a, DimseCommandField.CStoreResponse, cancellationToken).ConfigureAwait(false);
                    ushort status = rsp.Command.Status;
                    results[it.Index] = new StoreResult(path, it.SopInstance, status,
                        DimseStatus.IsSuccessOrWarning(status) ? rsp.Command.ErrorComment : $"status 0x{status:X4} ({DimseStatus.Describe(status)}){(rsp.Command.ErrorComment is { } c ? ": " + c : "")}");
                    progress?.Report(results[it.Index]);
                }
                await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
            catch { await a.AbortAsync().ConfigureAwait(false); throw; }
        }
        return results;
    }

    /// <summary>C-FIND: the matches of <paramref name="query"/> (Patient Root at PATIENT level, Study Root otherwise).</summary>
    /// <exception cref="DicomNetworkException">Unreachable, rejected, aborted, or a failure status.</exception>
    public async Task<IReadOnlyList<DicomDataset>> FindAsync(DicomQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        string sop = query.Level == QueryLevel.Patient ? PatientRootFind : StudyRootFind;
        var a = await OpenAsync([new PresentationContextProposal(1, sop, QueryTransferSyntaxes)], null, cancellationToken).ConfigureAwait(false);
        try
        {
            var pc = Require(a, sop, "C-FIND");
            var rq = new DimseCommand { CommandField = DimseCommandField.CFindRequest, MessageId = NextMessageId(), AffectedSopClassUid = sop, Priority = 0 };
            await a.SendMessageAsync(pc, rq, new MemoryStream(query.Encode(pc.TransferSyntax)), cancellationToken).ConfigureAwait(false);
            var matches = new List<DicomDataset>();
            while (true)
            {
                var buffer = new MemoryStream();
                var rsp = await ReceiveResponseAsync(a, DimseCommandField.CFindResponse, cancellationToken, buffer).ConfigureAwait(false);
                ushort status = rsp.Command.Status;
                if (DimseStatus.IsPending(status))
                {
                    if (rsp.DatasetLength > 0) matches.Add(DicomQuery.Decode(buffer.ToArray(), pc.TransferSyntax, $"C-FIND match {matches.Count + 1} from {_peer}"));
                    continue;
                }
                if (status != DimseStatus.Success)
                    throw new DicomNetworkException($"{_peer} ended the C-FIND with status 0x{status:X4} ({DimseStatus.Describe(status)}){(rsp.Command.ErrorComment is { } c ? ": " + c : "")}.");
                break;
            }
            await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return matches;
        }
        catch (DicomException e) { await a.AbortAsync().ConfigureAwait(false); throw new DicomProtocolException($"{_peer} sent a C-FIND match that cannot be read: {e.Message}"); }
        catch { await a.AbortAsync().ConfigureAwait(false); throw; }
    }

    /// <summary>C-MOVE: asks the peer to send what matches <paramref name="query"/> to the AE <paramref name="destinationAeTitle"/> (which the peer must know).</summary>
    /// <exception cref="DicomNetworkException">Unreachable, rejected or aborted.</exception>
    public async Task<RetrieveResult> MoveAsync(string destinationAeTitle, DicomQuery query, CancellationToken cancellationToken = default)
    {
        DicomNetworkSettings.ValidateAeTitle(destinationAeTitle, nameof(destinationAeTitle));
        ArgumentNullException.ThrowIfNull(query);
        string sop = query.Level == QueryLevel.Patient ? PatientRootMove : StudyRootMove;
        var a = await OpenAsync([new PresentationContextProposal(1, sop, QueryTransferSyntaxes)], null, cancellationToken).ConfigureAwait(false);
        try
        {
            var pc = Require(a, sop, "C-MOVE");
            var rq = new DimseCommand { CommandField = DimseCommandField.CMoveRequest, MessageId = NextMessageId(), AffectedSopClassUid = sop, Priority = 0, MoveDestination = destinationAeTitle.Trim() };
            await a.SendMessageAsync(pc, rq, new MemoryStream(query.Encode(pc.TransferSyntax)), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var rsp = await ReceiveResponseAsync(a, DimseCommandField.CMoveResponse, cancellationToken, Stream.Null).ConfigureAwait(false);
                if (DimseStatus.IsPending(rsp.Command.Status)) continue;
                await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                return Final(rsp.Command, []);
            }
        }
        catch { await a.AbortAsync().ConfigureAwait(false); throw; }
    }

    /// <summary>
    /// C-GET: retrieves what matches <paramref name="query"/> on this association (the peer sends C-STORE
    /// sub-operations back, this side taking the SCP role for <see cref="GetStorageSopClasses"/>) and files it
    /// under <paramref name="outputDirectory"/> as a Storage SCP does.
    /// </summary>
    /// <exception cref="DicomNetworkException">Unreachable, rejected or aborted.</exception>
    public async Task<RetrieveResult> GetAsync(DicomQuery query, string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var store = new DicomInstanceStore(outputDirectory);
        string sop = query.Level == QueryLevel.Patient ? PatientRootGet : StudyRootGet;
        var proposals = new List<PresentationContextProposal> { new(1, sop, QueryTransferSyntaxes) };
        byte id = 3;
        foreach (string s in GetStorageSopClasses) { proposals.Add(new PresentationContextProposal(id, s, DicomNetworkSettings.ReadableTransferSyntaxes)); id += 2; }
        var roles = GetStorageSopClasses.Select(s => new RoleSelection(s, false, true)).ToList();
        var a = await OpenAsync(proposals, roles, cancellationToken).ConfigureAwait(false);
        var received = new List<StoredInstance>();
        DicomInstanceStore.Pending? pending = null;
        try
        {
            var pc = Require(a, sop, "C-GET");
            var rq = new DimseCommand { CommandField = DimseCommandField.CGetRequest, MessageId = NextMessageId(), AffectedSopClassUid = sop, Priority = 0 };
            await a.SendMessageAsync(pc, rq, new MemoryStream(query.Encode(pc.TransferSyntax)), cancellationToken).ConfigureAwait(false);
            while (true)
            {
                pending?.Dispose();
                pending = null;
                var msg = await a.ReceiveMessageAsync(_settings.DimseTimeout, (command, context) =>
                {
                    if (command.CommandField != DimseCommandField.CStoreRequest) return new DatasetSink(Stream.Null, _settings.MaxInMemoryDatasetLength);
                    pending = store.Begin(command.AffectedSopClassUid ?? context.AbstractSyntax, command.AffectedSopInstanceUid ?? "", context.TransferSyntax, _peer.AeTitle);
                    return new DatasetSink(pending.Stream, long.MaxValue);
                }, cancellationToken).ConfigureAwait(false)
                    ?? throw new DicomAssociationAbortedException($"{_peer} released the association before the C-GET finished.");
                var c = msg.Command;
                if (c.CommandField == DimseCommandField.CStoreRequest)
                {
                    StoredInstance result = pending is null
                        ? new StoredInstance(_peer.AeTitle, c.AffectedSopClassUid ?? "", c.AffectedSopInstanceUid ?? "", "", "", null, 0, msg.Context.TransferSyntax, DimseStatus.CannotUnderstand, false, "no data set")
                        : store.Complete(pending, c.AffectedSopClassUid ?? msg.Context.AbstractSyntax, c.AffectedSopInstanceUid ?? "", msg.Context.TransferSyntax, _peer.AeTitle);
                    pending = null;
                    received.Add(result);
                    var storeRsp = new DimseCommand
                    {
                        CommandField = DimseCommandField.CStoreResponse, MessageIdBeingRespondedTo = c.MessageId,
                        AffectedSopClassUid = c.AffectedSopClassUid, AffectedSopInstanceUid = c.AffectedSopInstanceUid, Status = result.Status,
                    };
                    await a.SendMessageAsync(msg.Context, storeRsp, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                if (c.CommandField != DimseCommandField.CGetResponse)
                    throw new DicomProtocolException($"{_peer} sent {c.CommandField} during a C-GET");
                if (DimseStatus.IsPending(c.Status)) continue;
                await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                return Final(c, received);
            }
        }
        catch { await a.AbortAsync().ConfigureAwait(false); throw; }
        finally { pending?.Dispose(); }
    }

    private static RetrieveResult Final(DimseCommand c, IReadOnlyList<StoredInstance> received)
    {
        var (_, completed, failed, warning) = c.SubOperations;
        return new RetrieveResult(c.Status, completed ?? 0, failed ?? 0, warning ?? 0, received, c.ErrorComment);
    }

    private async Task<DimseMessage> ReceiveResponseAsync(DicomAssociation a, DimseCommandField expected, CancellationToken ct, Stream? datasetTarget = null)
    {
        var msg = await a.ReceiveMessageAsync(_settings.DimseTimeout, (_, _) => new DatasetSink(datasetTarget ?? Stream.Null, _settings.MaxInMemoryDatasetLength), ct).ConfigureAwait(false)
            ?? throw new DicomAssociationAbortedException($"{_peer} released the association while a {expected} was awaited.");
        if (msg.Command.CommandField != expected)
        {
            await a.AbortAsync(2, 2).ConfigureAwait(false);
            throw new DicomProtocolException($"{_peer} sent {msg.Command.CommandField} where a {expected} was expected");
        }
        return msg;
    }
}
