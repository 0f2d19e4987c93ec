namespace ImageGuide.Dicom.Network;

/// <summary>
/// A DICOM network exchange failed: the peer could not be reached, refused or aborted the association, broke the
/// protocol, timed out, or answered a request with a failure status. The message names the peer (AE title and
/// address), what happened and what to do. Only the association concerned is ended; a listener keeps serving others.
/// </summary>
public class DicomNetworkException : ImageGuideException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, naming the peer.</param>
    /// <param name="inner">The low-level cause (a socket error, a timeout), if any.</param>
    public DicomNetworkException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The peer sent bytes that are not a valid DICOM upper-layer PDU or DIMSE message (PS3.8 §9.3, PS3.7 §9–10).</summary>
public sealed class DicomProtocolException : DicomNetworkException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, naming the PDU or item.</param>
    /// <param name="byteOffset">Offset of the problem in the association's incoming byte stream, when known.</param>
    public DicomProtocolException(string message, long? byteOffset = null)
        : base(byteOffset is { } o ? $"{message} (at byte {o} of the association's incoming stream)" : message) => ByteOffset = byteOffset;

    /// <summary>Offset of the problem in the association's incoming byte stream, when known.</summary>
    public long? ByteOffset { get; }
}

/// <summary>The peer answered the A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ (PS3.8 §9.3.4).</summary>
public sealed class DicomAssociationRejectedException : DicomNetworkException
{
    /// <summary>Creates the exception from the rejection's fields.</summary>
    public DicomAssociationRejectedException(string peer, AssociateReject reject)
        : base($"{peer} rejected the association: {reject}. Check the called and calling AE titles and that the peer knows this AE.") => Reject = reject;

    /// <summary>The rejection's result, source and reason.</summary>
    public AssociateReject Reject { get; }
}

/// <summary>The association was aborted (A-ABORT received, or the connection closed without a release).</summary>
public sealed class DicomAssociationAbortedException : DicomNetworkException
{
    /// <summary>Creates the exception.</summary>
    public DicomAssociationAbortedException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The peer did not answer within the configured ARTIM or DIMSE timeout (<see cref="DicomNetworkSettings"/>).</summary>
public sealed class DicomNetworkTimeoutException : DicomNetworkException
{
    /// <summary>Creates the exception.</summary>
    public DicomNetworkTimeoutException(string message) : base(message) { }
}
