using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace ImageGuide.Dicom.Network;

/// <summary>An accepted presentation context.</summary>
/// <param name="Id">Its id.</param>
/// <param name="AbstractSyntax">SOP class UID.</param>
/// <param name="TransferSyntax">The transfer syntax agreed for its data sets.</param>
public sealed record AcceptedContext(byte Id, string AbstractSyntax, string TransferSyntax);

/// <summary>Where a received message's data set goes and how large it may grow.</summary>
/// <param name="Target">Written sequentially; not disposed by the association.</param>
/// <param name="MaxLength">Bytes above which the association is aborted.</param>
internal readonly record struct DatasetSink(Stream Target, long MaxLength);

/// <summary>A received DIMSE message.</summary>
/// <param name="Command">The command set.</param>
/// <param name="Context">The presentation context it came on.</param>
/// <param name="DatasetLength">Bytes of data set written to the sink (0 when none).</param>
internal sealed record DimseMessage(DimseCommand Command, AcceptedContext Context, long DatasetLength);

/// <summary>
/// One established association over a stream: PDU reading with bounded buffers and timeouts, P-DATA fragmentation
/// and reassembly of DIMSE messages, release and abort (PS3.8 §9, PS3.7 §9.3.1). Not thread-safe: one task drives it.
/// Every protocol violation aborts the association (A-ABORT, reason given) and throws a <see cref="DicomNetworkException"/>.
/// </summary>
internal sealed class DicomAssociation : IAsyncDisposable
{
    private const int PdvHeader = 6; // PDV item length (4) + context id + message control header

    private readonly Stream _stream;   // writes: whole PDUs, one call each
    private readonly BufferedStream _input; // reads: PDU headers and small PDUs come from the buffer without a system call
    private readonly TcpClient? _client;
    private readonly DicomNetworkSettings _settings;
    private readonly byte[] _header = new byte[PduCodec.HeaderLength];
    private byte[] _pdu;               // current P-DATA-TF body (bounded by MaxPduLength)
    private int _pduPos, _pduEnd;      // unread PDVs of the current P-DATA-TF
    private long _inOffset;            // bytes read from the peer so far
    private readonly Dictionary<byte, AcceptedContext> _contexts = new();
    private int _sendPdu;              // largest PDU body we may send
    private bool _closed;

    private DicomAssociation(Stream stream, TcpClient? client, DicomNetworkSettings settings, string peer)
    {
        _stream = stream;
        _input = new BufferedStream(stream, 64 * 1024);
        _client = client;
        _settings = settings;
        Peer = peer;
        _pdu = new byte[Math.Min(settings.MaxPduLength, 64 * 1024)];
    }

    /// <summary>"AE@host:port" of the other side, for messages.</summary>
    public string Peer { get; private set; }

    /// <summary>The requester's or acceptor's A-ASSOCIATE parameters as received.</summary>
    public AssociateParameters? Remote { get; private set; }

    /// <summary>The accepted presentation contexts by id.</summary>
    public IReadOnlyDictionary<byte, AcceptedContext> Contexts => _contexts;

    /// <summary>Opens a TCP connection and negotiates an association as requester.</summary>
    /// <exception cref="DicomNetworkException">The peer cannot be reached, rejects, aborts, or answers malformed PDUs.</exception>
    public static async Task<DicomAssociation> ConnectAsync(string host, int port, AssociateParameters request,
        DicomNetworkSettings settings, CancellationToken ct)
    {
        settings.Validate();
        string peer = $"{request.CalledAeTitle}@{host}:{port}";
        var client = new TcpClient { NoDelay = true };
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(settings.ConnectTimeout);
                try { await client.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new DicomNetworkTimeoutException($"{peer}: no TCP connection within {settings.ConnectTimeout.TotalSeconds:0.#} s (ConnectTimeout); check the host, port and firewall.");
                }
                catch (SocketException e)
                {
                    throw new DicomNetworkException($"{peer}: cannot connect ({e.SocketErrorCode}: {e.Message}); check that the peer is running and listening on that port.", e);
                }
            }
            var a = new DicomAssociation(client.GetStream(), client, settings, peer);
            try
            {
                await a.WriteAsync(PduCodec.EncodeAssociateRequest(request with { MaxPduLength = (uint)settings.MaxPduLength }), ct).ConfigureAwait(false);
                var (type, length) = await a.ReadPduHeaderAsync(settings.ArtimTimeout, 1 << 20, "the A-ASSOCIATE answer", ct).ConfigureAwait(false);
                byte[] body = await a.ReadBodyAsync(length, settings.ArtimTimeout, ct).ConfigureAwait(false);
                switch (type)
                {
                    case PduType.AssociateAccept:
                        var ac = PduCodec.DecodeAssociate(PduType.AssociateAccept, body);
                        a.Remote = ac;
                        foreach (var answer in ac.Answers)
                        {
                            if (answer.Result != PresentationContextResult.Acceptance) continue;
                            var proposal = request.Proposals.FirstOrDefault(p => p.Id == answer.Id)
                                ?? throw new DicomProtocolException($"{peer}: A-ASSOCIATE-AC accepts presentation context {answer.Id}, which was not proposed");
                            a._contexts[answer.Id] = new AcceptedContext(answer.Id, proposal.AbstractSyntax, answer.TransferSyntax);
                        }
                        a._sendPdu = ac.MaxPduLength == 0 ? 1 << 20 : (int)Math.Clamp(ac.MaxPduLength, 64, 1 << 24);
                        return a;
                    case PduType.AssociateReject:
                        throw new DicomAssociationRejectedException(peer, PduCodec.DecodeReject(body));
                    case PduType.Abort:
                        throw new DicomAssociationAbortedException($"{peer} aborted the association while it was being negotiated ({AbortText(body)}).");
                    default:
                        throw new DicomProtocolException($"{peer} answered the A-ASSOCIATE-RQ with a PDU of type 0x{(byte)type:X2}", 0);
                }
            }
            catch
            {
                await a.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads an A-ASSOCIATE-RQ from a fresh connection (within the ARTIM timeout) and answers it with
    /// <paramref name="decide"/>: an A-ASSOCIATE-AC (the accepted contexts are then usable) or an A-ASSOCIATE-RJ.
    /// </summary>
    /// <returns>The association, or null when it was rejected (the rejection has been sent).</returns>
    public static async Task<DicomAssociation?> AcceptAsync(TcpClient client, DicomNetworkSettings settings,
        Func<AssociateParameters, AssociationDecision> decide, CancellationToken ct)
    {
        string remote = client.Client.RemoteEndPoint?.ToString() ?? "?";
        var a = new DicomAssociation(client.GetStream(), client, settings, remote);
        try
        {
            var (type, length) = await a.ReadPduHeaderAsync(settings.ArtimTimeout, 1 << 20, "an A-ASSOCIATE-RQ", ct).ConfigureAwait(false);
            if (type != PduType.AssociateRequest)
                throw await a.AbortWithAsync(new DicomProtocolException($"{remote}: the first PDU is of type 0x{(byte)type:X2}, not an A-ASSOCIATE-RQ", 0), 2).ConfigureAwait(false);
            byte[] body = await a.ReadBodyAsync(length, settings.ArtimTimeout, ct).ConfigureAwait(false);
            AssociateParameters rq;
            try { rq = PduCodec.DecodeAssociate(PduType.AssociateRequest, body); }
            catch (DicomProtocolException e) { throw await a.AbortWithAsync(new DicomProtocolException($"{remote}: {e.Message}"), 6).ConfigureAwait(false); }
            a.Remote = rq;
            a.Peer = $"{rq.CallingAeTitle}@{remote}";
            var decision = decide(rq);
            if (decision.Reject is { } reject)
            {
                await a.WriteAsync(PduCodec.EncodeAssociateReject(reject), ct).ConfigureAwait(false);
                await a.DisposeAsync().ConfigureAwait(false);
                return null;
            }
            foreach (var answer in decision.Answers)
                if (answer.Result == PresentationContextResult.Acceptance)
                    a._contexts[answer.Id] = new AcceptedContext(answer.Id, rq.Proposals.First(p => p.Id == answer.Id).AbstractSyntax, answer.TransferSyntax);
            a._sendPdu = rq.MaxPduLength == 0 ? 1 << 20 : (int)Math.Clamp(rq.MaxPduLength, 64, 1 << 24);
            await a.WriteAsync(PduCodec.EncodeAssociateAccept(new AssociateParameters
            {
                CalledAeTitle = rq.CalledAeTitle, CallingAeTitle = rq.CallingAeTitle, Answers = decision.Answers,
                MaxPduLength = (uint)settings.MaxPduLength, ImplementationVersionName = settings.ImplementationVersionName,
                RoleSelections = decision.RoleSelections,
            }), ct).ConfigureAwait(false);
            return a;
        }
        catch
        {
            await a.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends a command and, when given, a data set (read from its current position to its end).</summary>
    public async Task SendMessageAsync(AcceptedContext context, DimseCommand command, Stream? dataset, CancellationToken ct)
    {
        command.DatasetType = dataset is null ? DimseCommand.NoDataset : (ushort)0x0000;
        byte[] cmd = command.Encode();
        int maxFragment = Math.Max(16, _sendPdu - PdvHeader);
        int bufferLength = PduCodec.HeaderLength + PdvHeader + Math.Min(maxFragment, 1 << 20);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
        try
        {
            for (int pos = 0; pos < cmd.Length;)
            {
                int n = Math.Min(maxFragment, cmd.Length - pos);
                cmd.AsSpan(pos, n).CopyTo(buffer.AsSpan(PduCodec.HeaderLength + PdvHeader));
                pos += n;
                await SendPdvAsync(buffer, context.Id, command: true, last: pos == cmd.Length, n, ct).ConfigureAwait(false);
            }
            if (dataset is null) return;
            long remaining = dataset.Length - dataset.Position;
            int chunk = Math.Min(maxFragment, 1 << 20);
            do
            {
                int n = (int)Math.Min(chunk, remaining);
                dataset.ReadExactly(buffer.AsSpan(PduCodec.HeaderLength + PdvHeader, n)); // local file: synchronous
                remaining -= n;
                await SendPdvAsync(buffer, context.Id, command: false, last: remaining == 0, n, ct).ConfigureAwait(false);
            }
            while (remaining > 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendPdvAsync(byte[] buffer, byte contextId, bool command, bool last, int n, CancellationToken ct)
    {
        buffer[0] = (byte)PduType.Data;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)(PdvHeader + n));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(PduCodec.HeaderLength), (uint)(2 + n));
        buffer[PduCodec.HeaderLength + 4] = contextId;
        buffer[PduCodec.HeaderLength + 5] = (byte)((command ? 1 : 0) | (last ? 2 : 0));
        try { await _stream.WriteAsync(buffer.AsMemory(0, PduCodec.HeaderLength + PdvHeader + n), ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { throw Lost(e); }
    }

    /// <summary>
    /// Receives the next DIMSE message. Its data set (if any) goes to the sink <paramref name="sinkFor"/> returns for
    /// the command. Returns null when the peer asked to release the association (the release has been answered).
    /// </summary>
    /// <param name="timeout">Longest wait for each PDU.</param>
    /// <param name="sinkFor">Chooses the data set's destination once the command is known.</param>
    /// <param name="ct">Cancellation.</param>
    public async Task<DimseMessage?> ReceiveMessageAsync(TimeSpan timeout, Func<DimseCommand, AcceptedContext, DatasetSink> sinkFor, CancellationToken ct)
    {
        var commandBytes = new MemoryStream();
        DimseCommand? command = null;
        AcceptedContext? context = null;
        DatasetSink sink = default;
        long datasetLength = 0;
        while (true)
        {
            if (_pduPos >= _pduEnd)
            {
                var (type, length) = await ReadPduHeaderAsync(timeout, _settings.MaxPduLength, "the next DIMSE message", ct).ConfigureAwait(false);
                switch (type)
                {
                    case PduType.Data:
                        if (_pdu.Length < length) _pdu = new byte[Math.Min(_settings.MaxPduLength, Math.Max(length, 2 * _pdu.Length))];
                        await ReadExactlyAsync(_pdu.AsMemory(0, length), timeout, ct).ConfigureAwait(false);
                        _pduPos = 0;
                        _pduEnd = length;
                        break;
                    case PduType.ReleaseRequest:
                        await ReadBodyAsync(length, timeout, ct).ConfigureAwait(false);
                        if (command is not null)
                            throw await AbortWithAsync(new DicomProtocolException($"{Peer} asked to release the association in the middle of a {command.CommandField} message", _inOffset), 2).ConfigureAwait(false);
                        await WriteAsync(PduCodec.EncodeReleaseResponse(), ct).ConfigureAwait(false);
                        await DisposeAsync().ConfigureAwait(false);
                        return null;
                    case PduType.Abort:
                        byte[] body = await ReadBodyAsync(length, timeout, ct).ConfigureAwait(false);
                        await DisposeAsync().ConfigureAwait(false);
                        throw new DicomAssociationAbortedException($"{Peer} aborted the association ({AbortText(body)})" +
                            (command is null ? "." : $" in the middle of a {command.CommandField} message; its data set is discarded."));
                    default:
                        throw await AbortWithAsync(new DicomProtocolException($"{Peer} sent an unexpected PDU of type 0x{(byte)type:X2} while a DIMSE message was expected", _inOffset - PduCodec.HeaderLength), 2).ConfigureAwait(false);
                }
            }
            // one PDV
            long pdvOffset = _inOffset - (_pduEnd - _pduPos);
            if (_pduEnd - _pduPos < PdvHeader)
                throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a P-DATA-TF holds {_pduEnd - _pduPos} bytes where a PDV item header (6 bytes) was expected", pdvOffset), 6).ConfigureAwait(false);
            uint pdvLength = BinaryPrimitives.ReadUInt32BigEndian(_pdu.AsSpan(_pduPos));
            if (pdvLength < 2 || pdvLength > (uint)(_pduEnd - _pduPos - 4))
                throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a PDV item declares {pdvLength} bytes but its P-DATA-TF has {_pduEnd - _pduPos - 4} left", pdvOffset), 6).ConfigureAwait(false);
            byte id = _pdu[_pduPos + 4];
            byte control = _pdu[_pduPos + 5];
            var data = _pdu.AsMemory(_pduPos + PdvHeader, (int)pdvLength - 2);
            _pduPos += 4 + (int)pdvLength;
            if (!_contexts.TryGetValue(id, out var pc))
                throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a PDV uses presentation context {id}, which was not accepted", pdvOffset), 6).ConfigureAwait(false);
            if (context is not null && context.Id != id)
                throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a PDV switches from presentation context {context.Id} to {id} within one message", pdvOffset), 6).ConfigureAwait(false);
            context = pc;
            bool isCommand = (control & 1) != 0, last = (control & 2) != 0;
            if (isCommand)
            {
                if (command is not null)
                    throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a command fragment arrived after the command was complete", pdvOffset), 6).ConfigureAwait(false);
                if (commandBytes.Length + data.Length > _settings.MaxCommandLength)
                    throw await AbortWithAsync(new DicomProtocolException($"{Peer}: the command set exceeds {_settings.MaxCommandLength} bytes (MaxCommandLength)", pdvOffset), 6).ConfigureAwait(false);
                commandBytes.Write(data.Span);
                if (!last) continue;
                try { command = DimseCommand.Decode(commandBytes.GetBuffer().AsSpan(0, (int)commandBytes.Length)); }
                catch (DicomProtocolException e) { throw await AbortWithAsync(new DicomProtocolException($"{Peer}: {e.Message}", pdvOffset), 6).ConfigureAwait(false); }
                if (!command.HasDataset) return new DimseMessage(command, pc, 0);
                sink = sinkFor(command, pc);
            }
            else
            {
                if (command is null)
                    throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a data set fragment arrived before its command", pdvOffset), 6).ConfigureAwait(false);
                datasetLength += data.Length;
                if (datasetLength > sink.MaxLength)
                    throw await AbortWithAsync(new DicomProtocolException($"{Peer}: the data set of {command.CommandField} exceeds {sink.MaxLength} bytes", pdvOffset), 6).ConfigureAwait(false);
                sink.Target.Write(data.Span); // local file or memory: written synchronously, no thread-pool hop per fragment
                if (last) return new DimseMessage(command, pc, datasetLength);
            }
        }
    }

    /// <summary>Requests release (A-RELEASE-RQ) and waits for the A-RELEASE-RP within the ARTIM timeout, then closes.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        if (_closed) return;
        try
        {
            await WriteAsync(PduCodec.EncodeReleaseRequest(), ct).ConfigureAwait(false);
            while (true)
            {
                var (type, length) = await ReadPduHeaderAsync(_settings.ArtimTimeout, _settings.MaxPduLength, "the A-RELEASE-RP", ct).ConfigureAwait(false);
                await ReadBodyAsync(length, _settings.ArtimTimeout, ct).ConfigureAwait(false);
                if (type is PduType.ReleaseResponse or PduType.Abort) break;
                if (type == PduType.ReleaseRequest) { await WriteAsync(PduCodec.EncodeReleaseResponse(), ct).ConfigureAwait(false); break; } // release collision
            }
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Sends an A-ABORT (as service user: source 0; provider: 2) and closes the connection. Never throws.</summary>
    public async Task AbortAsync(byte source = 0, byte reason = 0)
    {
        if (_closed) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _stream.WriteAsync(PduCodec.EncodeAbort(source, reason), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Aborts as service provider with <paramref name="reason"/> and returns <paramref name="e"/> for throwing.</summary>
    private async Task<DicomNetworkException> AbortWithAsync(DicomNetworkException e, byte reason)
    {
        await AbortAsync(2, reason).ConfigureAwait(false);
        return e;
    }

    private async Task<(PduType Type, int Length)> ReadPduHeaderAsync(TimeSpan timeout, int maxLength, string expected, CancellationToken ct)
    {
        await ReadExactlyAsync(_header, timeout, ct, expected).ConfigureAwait(false);
        byte type = _header[0];
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(2));
        if (type is < 1 or > 7)
            throw await AbortWithAsync(new DicomProtocolException($"{Peer}: unknown PDU type 0x{type:X2}; the peer does not speak the DICOM upper layer protocol", _inOffset - 6), 1).ConfigureAwait(false);
        int limit = type == (byte)PduType.Data ? maxLength : type is 1 or 2 ? 1 << 20 : 1024;
        if (length > (uint)limit)
            throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a PDU of type 0x{type:X2} declares {length} bytes, more than the {limit} this side accepts" +
                (type == (byte)PduType.Data ? " (the maximum PDU length it announced)" : ""), _inOffset - 6), 6).ConfigureAwait(false);
        if (type is 3 or 5 or 6 or 7 && length != 4)
            throw await AbortWithAsync(new DicomProtocolException($"{Peer}: a PDU of type 0x{type:X2} declares {length} bytes; it holds 4", _inOffset - 6), 6).ConfigureAwait(false);
        return ((PduType)type, (int)length);
    }

    private async Task<byte[]> ReadBodyAsync(int length, TimeSpan timeout, CancellationToken ct)
    {
        var body = new byte[length];
        await ReadExactlyAsync(body, timeout, ct).ConfigureAwait(false);
        return body;
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, TimeSpan timeout, CancellationToken ct, string? expected = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _input.ReadExactlyAsync(buffer, cts.Token).ConfigureAwait(false);
            _inOffset += buffer.Length;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await AbortAsync(2, 0).ConfigureAwait(false);
            throw new DicomNetworkTimeoutException($"{Peer}: nothing received for {timeout.TotalSeconds:0.#} s while waiting for {expected ?? "the rest of a PDU"}; the association was aborted.");
        }
        catch (EndOfStreamException e)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new DicomAssociationAbortedException($"{Peer} closed the connection without releasing the association" +
                (expected is null ? " in the middle of a PDU." : $" while {expected} was expected."), e);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw Lost(e);
        }
    }

    private async Task WriteAsync(byte[] pdu, CancellationToken ct)
    {
        try { await _stream.WriteAsync(pdu, ct).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { throw Lost(e); }
    }

    private DicomAssociationAbortedException Lost(Exception e)
    {
        _ = DisposeAsync();
        return new DicomAssociationAbortedException($"{Peer}: the connection was lost ({e.Message}).", e);
    }

    private static string AbortText(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4) return "no reason given";
        string source = body[2] switch { 0 => "service user", 2 => "service provider", _ => $"source {body[2]}" };
        string reason = body[2] != 2 ? "" : body[3] switch
        {
            1 => ", unrecognized PDU", 2 => ", unexpected PDU", 4 => ", unrecognized PDU parameter",
            5 => ", unexpected PDU parameter", 6 => ", invalid PDU parameter value", _ => ", reason not specified",
        };
        return source + reason;
    }

    /// <summary>Closes the connection (no PDU sent).</summary>
    public ValueTask DisposeAsync()
    {
        if (_closed) return ValueTask.CompletedTask;
        _closed = true;
        try { _stream.Dispose(); } catch (IOException) { }
        _client?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>An acceptor's answer to an A-ASSOCIATE-RQ: a rejection, or per-context answers.</summary>
/// <param name="Reject">Set to reject the association.</param>
/// <param name="Answers">One answer per proposed context when accepting.</param>
/// <param name="RoleSelections">Role selections granted.</param>
internal sealed record AssociationDecision(AssociateReject? Reject, IReadOnlyList<PresentationContextAnswer> Answers, IReadOnlyList<RoleSelection> RoleSelections);
