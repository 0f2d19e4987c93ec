using System.Collections.Concurrent;
using System.Net;
using ImageGuide.Dicom.Network;

namespace ImageGuide.Tests.Network;

/// <summary>
/// What the network tests share: a fresh folder per test, the library's Storage SCP ("IGSCP") on a free loopback port
/// filing into <see cref="Received"/>, the associations it ended and the instances it stored, all torn down after.
/// </summary>
public abstract class LoopbackScpFixture
{
    /// <summary>This test's folder.</summary>
    protected string Dir { get; private set; } = "";

    /// <summary>The SCP once <see cref="StartScp"/> ran.</summary>
    protected DicomStorageServer? Server { get; private set; }

    /// <summary>Associations the SCP ended, in order.</summary>
    protected ConcurrentQueue<AssociationSummary> Ended { get; } = new();

    /// <summary>Instances the SCP stored, in order.</summary>
    protected ConcurrentQueue<StoredInstance> Stored { get; } = new();

    /// <summary>Where the SCP files what it receives.</summary>
    protected string Received => Path.Combine(Dir, "received");

    [SetUp]
    public void NewFolder()
    {
        Dir = TestPaths.NewTempDir();
        Ended.Clear();
        Stored.Clear();
        Server = null;
    }

    [TearDown]
    public async Task StopAndClean()
    {
        if (Server is not null) await Server.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }

    /// <summary>Starts the library's SCP (AE "IGSCP", any free loopback port) with <paramref name="settings"/>.</summary>
    protected DicomStorageServer StartScp(DicomNetworkSettings? settings = null)
    {
        Server = DicomStorageServer.Start(new DicomStorageServerOptions
        {
            AeTitle = "IGSCP", OutputDirectory = Received, Port = 0, Address = IPAddress.Loopback, Settings = settings ?? DicomNetworkSettings.Default,
        });
        Server.AssociationEnded += Ended.Enqueue;
        Server.InstanceStored += Stored.Enqueue;
        return Server;
    }

    /// <summary>The final files under <paramref name="root"/> (none of the SCP's partial ".incoming" ones).</summary>
    protected static string[] Filed(string root) =>
        Directory.EnumerateFiles(root, "*.dcm", SearchOption.AllDirectories).Where(f => !f.Contains(".incoming")).ToArray();
}
