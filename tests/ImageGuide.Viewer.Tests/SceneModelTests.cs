using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;

namespace ImageGuide.Tests.Viewer;

/// <summary>Plan reading, camera orientation, pane planes and interaction on the CPU (no GL).</summary>
public sealed class SceneModelTests
{
    [Test]
    public void AnteriorCameraLooksPosteriorWithPatientLeftOnTheRightAndSuperiorUp()
    {
        var plane = new OrbitCamera(Vec3.Zero, 100).ImagePlane(100, 50);
        Assert.That(Vec3.MaxAbsDifference(plane.U, new Vec3(1, 0, 0)), Is.LessThan(1e-12));
        Assert.That(Vec3.MaxAbsDifference(plane.V, new Vec3(0, 0, -1)), Is.LessThan(1e-12));
        Assert.That(Vec3.MaxAbsDifference(plane.Normal, new Vec3(0, 1, 0)), Is.LessThan(1e-12));
        Assert.That(plane.PixelSpacing, Is.EqualTo(2), "100 mm over the shorter side of 50 px");
        // seen from above (elevation 90° is clamped to 89°): the view direction points almost straight down (−z)
        var top = new OrbitCamera(Vec3.Zero, 100, 0, 90).ImagePlane(10, 10);
        Assert.That(top.Normal.Z, Is.LessThan(-0.99));
    }

    [Test]
    public void MprPlaneFitsTheVolumeInThePaneWithSquarePixels()
    {
        var g = new VolumeGeometry(200, 100, 50, new Vec3(0.5, 0.5, 2), Vec3.Zero);
        var plane = PaneLayout.MprPlane(PaneKind.Axial, g, g.Center, 256, 256);
        // voxel centres span 99.5 mm × 49.5 mm; core's axial plane adds one finest spacing (0.5 mm): 100 mm over 256 px
        Assert.That(plane.PixelSpacing, Is.EqualTo(100.0 / 256).Within(1e-12));
        Assert.That(Vec3.MaxAbsDifference(plane.Center, g.Center), Is.LessThan(1e-9));
        Assert.That((plane.Width, plane.Height), Is.EqualTo((256, 256)));
    }

    [Test]
    public void InteractionScrollsSlicesSetsWindowAndSwitchesModes()
    {
        var g = new VolumeGeometry(20, 20, 10, new Vec3(1, 1, 3), Vec3.Zero);
        var scene = new ViewerScene(new Volume<float>(g));
        var state = new ViewState(scene) { BaseWindow = new WindowLevel(40, 400) };
        var ui = new Interaction(scene, state);
        var axial = new Pane(PaneKind.Axial, 0, 0, 200, 200);
        var start = state.Cursor;

        ui.Scroll(axial, 2);
        Assert.That(Vec3.MaxAbsDifference(state.Cursor, start + new Vec3(0, 0, 2)), Is.LessThan(1e-12), "two notches = two 1 mm steps along the axial normal (+z)");

        ui.Drag(axial, 10, -20);
        Assert.That(state.BaseWindow.Center, Is.EqualTo(40 + 20 * 2).Within(1e-9), "drag up raises the level by width/pane per pixel");
        Assert.That(state.BaseWindow.Width, Is.EqualTo(400 + 10 * 2 * 2).Within(1e-9));

        Assert.That(ui.Key('f'), Is.True);
        Assert.That(state.Fusion, Is.EqualTo(FusionMode.Checkerboard));
        ui.Key(']');
        Assert.That(state.Opacity, Is.EqualTo(0.6));
        ui.Key('o');
        Assert.That(state.ShowOverlay, Is.False);
        Assert.That(ui.Key('q'), Is.False);

        ui.Click(axial, 0, 0);
        Assert.That(state.Cursor.Z, Is.EqualTo(start.Z + 2).Within(1e-9), "a click stays on the shown slice");
    }
}
