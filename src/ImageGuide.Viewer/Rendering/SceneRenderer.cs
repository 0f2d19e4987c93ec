using System.Runtime.InteropServices;
using ImageGuide.Imaging;
using ImageGuide.Visualization;
using ImageGuide.Viewer.Scene;
using Silk.NET.OpenGL;

namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// Draws a <see cref="ViewerScene"/> with OpenGL 3.3: MPR panes (reslice, window, colour map, fusion, labels on the
/// GPU), the ray-cast 3-D pane and annotation lines. Owns the GPU copies of the volumes; use it on the thread where
/// its context is current.
/// </summary>
internal sealed unsafe class SceneRenderer : IDisposable
{
    private const int BaseUnit = 0, BaseLutUnit = 1, OverlayUnit = 2, OverlayLutUnit = 3, LabelUnit = 4, LabelColourUnit = 5;
    private readonly GL _gl;
    private readonly ViewerScene _scene;
    private readonly GpuVolume _base;
    private readonly GpuVolume? _overlay;
    private readonly GpuVolume? _labels;
    private readonly LookupTexture _labelColours;
    private readonly Dictionary<ColorMap, LookupTexture> _maps = [];
    private readonly ShaderProgram _mpr;
    private readonly ShaderProgram _rayCast;
    private readonly ShaderProgram _lines;
    private readonly TextOverlay _text;
    private readonly uint _emptyVao;
    private readonly uint _lineVao;
    private readonly uint _lineBuffer;
    private int _framebufferWidth, _framebufferHeight;
    private OffscreenTarget? _reduced;
    private readonly Dictionary<(int Volume, float Threshold), OccupiedBox?> _boxes = [];
    private OccupiedBox? _labelBox;
    private bool _labelBoxKnown;

    /// <summary>Uploads the scene's volumes and compiles the shaders.</summary>
    public SceneRenderer(GL gl, ViewerScene scene)
    {
        _gl = gl;
        _scene = scene;
        _base = GpuVolume.UploadScalar(gl, scene.Base);
        if (scene.Overlay is { } overlay) _overlay = GpuVolume.UploadScalar(gl, overlay);
        if (scene.Labels is { } labels) _labels = GpuVolume.UploadLabels(gl, labels);
        _labelColours = LookupTexture.FromLabelColors(gl, scene.LabelColors);
        _mpr = new ShaderProgram(gl, "mpr", Shaders.FullScreenVertex, Shaders.MprFragment);
        _rayCast = new ShaderProgram(gl, "ray-cast", Shaders.FullScreenVertex, Shaders.RayCastFragment);
        _lines = new ShaderProgram(gl, "lines", Shaders.LineVertex, Shaders.LineFragment);
        _text = new TextOverlay(gl);
        AssignSamplerUnits(_mpr);
        AssignSamplerUnits(_rayCast);
        _emptyVao = gl.GenVertexArray();
        _lineVao = gl.GenVertexArray();
        _lineBuffer = gl.GenBuffer();
        gl.BindVertexArray(_lineVao);
        gl.BindBuffer(BufferTargetARB.ArrayBuffer, _lineBuffer);
        gl.VertexAttribPointer(0, 2, VertexAttribPointerType.Float, false, 2 * sizeof(float), null);
        gl.EnableVertexAttribArray(0);
        gl.BindVertexArray(0);
        GlInfo.Check(gl, "creating the renderer");
    }

    /// <summary>Starts a frame: sets the framebuffer size the panes refer to and clears it to black.</summary>
    public void BeginFrame(int width, int height)
    {
        _framebufferWidth = width;
        _framebufferHeight = height;
        _gl.Disable(EnableCap.ScissorTest);
        _gl.Viewport(0, 0, (uint)width, (uint)height);
        _gl.ClearColor(0, 0, 0, 1);
        _gl.Clear(ClearBufferMask.ColorBufferBit);
    }

    /// <summary>Draws the whole 2×2 layout for <paramref name="state"/>.</summary>
    public void DrawLayout(ViewState state)
    {
        foreach (var pane in PaneLayout.Panes(_framebufferWidth, _framebufferHeight))
        {
            if (pane.Width < 1 || pane.Height < 1) continue;
            if (pane.Kind == PaneKind.Volume3D) DrawVolume(pane, state.Camera.ImagePlane(pane.Width, pane.Height), state);
            else
            {
                var plane = PaneLayout.MprPlane(pane.Kind, _scene.Base.Geometry, state.Cursor, pane.Width, pane.Height, state.MprZoom);
                DrawMpr(pane, plane, state);
                if (state.ShowAnnotations) DrawMprAnnotations(pane, plane, state);
            }
        }
        if (state.ShowAnnotations) DrawPaneBorders();
    }

    /// <summary>Draws one MPR pane of <paramref name="plane"/> (whose size must equal the pane's).</summary>
    public void DrawMpr(Pane pane, SlicePlane plane, ViewState state)
    {
        var p = _mpr;
        p.Use();
        SetPane(p, pane);
        BindVolume(p, "base", _base, plane, RigidTransform.Identity, BaseUnit);
        BindMap(state.BaseColors, BaseLutUnit);
        p.Set("baseWindow", (float)(state.BaseWindow.Center - state.BaseWindow.Width / 2), (float)state.BaseWindow.Width);
        bool overlay = _overlay is not null && state.ShowOverlay;
        p.Set("hasOverlay", overlay ? 1 : 0);
        if (overlay)
        {
            BindVolume(p, "overlay", _overlay!, plane, _scene.OverlayTransform, OverlayUnit);
            BindMap(state.OverlayColors, OverlayLutUnit);
            p.Set("overlayWindow", (float)(state.OverlayWindow.Center - state.OverlayWindow.Width / 2), (float)state.OverlayWindow.Width);
        }
        SetFusion(p, state);
        SetLabels(p, plane, state);
        DrawFullScreen();
    }

    /// <summary>
    /// Ray-casts the fused pair into a pane; <paramref name="camera"/> is the camera's image plane for the pane. With
    /// <see cref="ViewState.RayCastScale"/> below 1 the rays go into a smaller offscreen image stretched over the pane.
    /// </summary>
    public void DrawVolume(Pane pane, SlicePlane camera, ViewState state)
    {
        double scale = Math.Clamp(state.RayCastScale, 0.1, 1);
        if (scale < 1) DrawVolumeReduced(pane, camera, state, scale);
        else CastRays(pane, camera, state, _framebufferHeight);
        if (state.ShowAnnotations) DrawTrajectories(pane, camera, ticks: false);
    }

    private void DrawVolumeReduced(Pane pane, SlicePlane camera, ViewState state, double scale)
    {
        int destination = _gl.GetInteger(GetPName.DrawFramebufferBinding);
        int w = Math.Max(1, (int)Math.Round(pane.Width * scale)), h = Math.Max(1, (int)Math.Round(pane.Height * scale));
        if (_reduced is null || _reduced.Width != w || _reduced.Height != h)
        {
            _reduced?.Dispose();
            _reduced = new OffscreenTarget(_gl, w, h);
        }
        _reduced.Bind();
        // the same field of view on fewer, larger pixels
        var small = new SlicePlane(camera.Center, camera.U, camera.V, w, h, camera.PixelSpacing * Math.Max((double)pane.Width / w, (double)pane.Height / h));
        CastRays(new Pane(PaneKind.Volume3D, 0, 0, w, h), small, state, h);
        _gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, _reduced.Handle);
        _gl.BindFramebuffer(FramebufferTarget.DrawFramebuffer, (uint)destination);
        int glY = _framebufferHeight - pane.Y - pane.Height;
        _gl.BlitFramebuffer(0, 0, w, h, pane.X, glY, pane.X + pane.Width, glY + pane.Height, ClearBufferMask.ColorBufferBit, BlitFramebufferFilter.Linear);
        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, (uint)destination);
        _gl.Viewport(0, 0, (uint)_framebufferWidth, (uint)_framebufferHeight);
    }

    private void CastRays(Pane pane, SlicePlane camera, ViewState state, int framebufferHeight)
    {
        var p = _rayCast;
        p.Use();
        SetPane(p, pane, framebufferHeight);
        var g = _scene.Base.Geometry;
        BindVolume(p, "base", _base, camera, RigidTransform.Identity, BaseUnit);
        p.Set("baseTf", (float)state.BaseTransfer.Low, (float)state.BaseTransfer.High, (float)state.BaseTransfer.MaxOpacity);
        p.Set("baseColour", 0.95f, 0.90f, 0.80f);
        var gradientToWorld = g.Direction * Diagonal(1 / g.Spacing.X, 1 / g.Spacing.Y, 1 / g.Spacing.Z);
        p.SetMatrix("baseGradientToWorld", Homogeneous(gradientToWorld));
        var n = camera.Normal;
        p.Set("viewDirection", (float)n.X, (float)n.Y, (float)n.Z);
        bool overlay = _overlay is not null && state.ShowOverlay;
        p.Set("hasOverlay", overlay ? 1 : 0);
        if (overlay)
        {
            BindVolume(p, "overlay", _overlay!, camera, _scene.OverlayTransform, OverlayUnit);
            p.Set("overlayTf", (float)state.OverlayTransfer.Low, (float)state.OverlayTransfer.High, (float)state.OverlayTransfer.MaxOpacity);
            BindMap(state.OverlayColors, OverlayLutUnit);
        }
        SetFusion(p, state);
        SetLabels(p, camera, state);
        double finest = Math.Min(g.Spacing.X, Math.Min(g.Spacing.Y, g.Spacing.Z));
        p.Set("stepMm", (float)(finest * state.RayStepVoxels));
        var (min, max) = VisibleBox(state, overlay, _labels is not null && state.ShowLabels);
        Set(p, "boxMin", min);
        Set(p, "boxMax", max);
        DrawFullScreen();
    }

    /// <summary>Trajectories and the cursor cross-hair on an MPR pane.</summary>
    public void DrawMprAnnotations(Pane pane, SlicePlane plane, ViewState state)
    {
        var (cx, cy, _) = plane.PhysicalToPixel(state.Cursor);
        var cross = new List<float>(8);
        AddSegment(cross, pane, 0, cy, pane.Width - 1, cy);
        AddSegment(cross, pane, cx, 0, cx, pane.Height - 1);
        DrawSegments(pane, cross, 0.2f, 0.8f, 1f);
        DrawTrajectories(pane, plane, ticks: true);
        DrawIsotherms(pane, plane);
        DrawOrientationAndScale(pane, plane);
    }

    /// <summary>
    /// Core's orientation letters at the four pane edges (Skia text, <see cref="TextOverlay"/>) and a scale bar of core's
    /// round length bottom-left, its length written above it.
    /// </summary>
    private void DrawOrientationAndScale(Pane pane, SlicePlane plane)
    {
        const double letterSize = 18, margin = 6;
        double barMm = Annotations.ScaleBarLengthMm(pane.Width, plane.PixelSpacing), bar = barMm / plane.PixelSpacing;
        double y = pane.Height - 10, x = 8;
        var scale = new List<float>();
        AddSegment(scale, pane, x, y, x + bar, y);
        AddSegment(scale, pane, x, y - 4, x, y + 2);
        AddSegment(scale, pane, x + bar, y - 4, x + bar, y + 2);
        DrawSegments(pane, scale, 1f, 1f, 1f);

        var texts = new List<SceneText>(SnapshotScene.OrientationTexts(plane, letterSize, margin))
        {
            new(SceneTextRole.ScaleBar, FormattableString.Invariant($"{barMm:0.##} mm"), x, y - 6, SceneTextAlign.BottomLeft, 12, SnapshotScene.TextColor),
        };
        _text.Draw(pane, _framebufferHeight, texts);
        _gl.Viewport(0, 0, (uint)_framebufferWidth, (uint)_framebufferHeight);
    }

    /// <summary>Isotherm contours traced by core on the pane's plane (the same segments core's snapshots rasterise).</summary>
    private void DrawIsotherms(Pane pane, SlicePlane plane)
    {
        if (_scene.Temperature is not { } temperature) return;
        var field = IsothermContours.Sample(plane, temperature);
        foreach (var (level, color) in _scene.Isotherms)
        {
            var segments = new List<float>();
            foreach (var s in IsothermContours.Trace(field, plane.Width, plane.Height, level)) AddSegment(segments, pane, s.X0, s.Y0, s.X1, s.Y1);
            DrawSegments(pane, segments, color.R / 255f, color.G / 255f, color.B / 255f);
        }
    }

    private void DrawTrajectories(Pane pane, SlicePlane plane, bool ticks)
    {
        if (_scene.Trajectories.Count == 0) return;
        var segments = new List<float>();
        foreach (var t in _scene.Trajectories)
        {
            // core's needle line and 10 mm depth ticks; the 3-D pane shows the line only
            var lines = Annotations.TrajectorySegments(plane, t.Entry, t.Target);
            for (int n = 0; n < (ticks ? lines.Count : 1); n++) AddSegment(segments, pane, lines[n].X0, lines[n].Y0, lines[n].X1, lines[n].Y1);
        }
        DrawSegments(pane, segments, 0f, 1f, 0.3f);
    }

    private void DrawPaneBorders()
    {
        int w = _framebufferWidth, h = _framebufferHeight;
        var full = new Pane(PaneKind.Volume3D, 0, 0, w, h);
        var lines = new List<float>(8);
        AddSegment(lines, full, w / 2 - 0.5, 0, w / 2 - 0.5, h - 1);
        AddSegment(lines, full, 0, h / 2 - 0.5, w - 1, h / 2 - 0.5);
        DrawSegments(full, lines, 0.35f, 0.35f, 0.35f);
    }

    private static void AddSegment(List<float> vertices, Pane pane, double x0, double y0, double x1, double y1)
    {
        vertices.Add((float)(pane.X + x0)); vertices.Add((float)(pane.Y + y0));
        vertices.Add((float)(pane.X + x1)); vertices.Add((float)(pane.Y + y1));
    }

    private void DrawSegments(Pane pane, List<float> vertices, float r, float g, float b)
    {
        if (vertices.Count == 0) return;
        // clip to the pane
        _gl.Enable(EnableCap.ScissorTest);
        _gl.Scissor(pane.X, _framebufferHeight - pane.Y - pane.Height, (uint)pane.Width, (uint)pane.Height);
        _gl.Viewport(0, 0, (uint)_framebufferWidth, (uint)_framebufferHeight);
        _lines.Use();
        _lines.Set("framebufferSize", _framebufferWidth, _framebufferHeight);
        _lines.Set("colour", r, g, b);
        _gl.BindVertexArray(_lineVao);
        _gl.BindBuffer(BufferTargetARB.ArrayBuffer, _lineBuffer);
        ReadOnlySpan<float> data = CollectionsMarshal.AsSpan(vertices);
        _gl.BufferData(BufferTargetARB.ArrayBuffer, data, BufferUsageARB.DynamicDraw);
        _gl.DrawArrays(PrimitiveType.Lines, 0, (uint)(data.Length / 2));
        _gl.BindVertexArray(0);
        _gl.Disable(EnableCap.ScissorTest);
    }

    // union, in the base's index space, of the boxes of base, overlay and label voxels the 3-D pane can show
    private (Vec3 Min, Vec3 Max) VisibleBox(ViewState state, bool overlay, bool labels)
    {
        var g = _scene.Base.Geometry;
        var boxes = new List<(Vec3 Min, Vec3 Max)>(3);
        if (Box(0, _scene.Base, (float)state.BaseTransfer.Low) is { } b) boxes.Add(b.Enclose(q => q));
        if (overlay && Box(1, _scene.Overlay!, (float)state.OverlayTransfer.Low) is { } o)
        {
            var og = _scene.Overlay!.Geometry;
            var movingToFixed = _scene.OverlayTransform.Inverse();
            boxes.Add(o.Enclose(q => g.PhysicalToIndex(movingToFixed.TransformPoint(og.IndexToPhysical(q)))));
        }
        if (labels && LabelBox() is { } l)
        {
            var lg = _scene.Labels!.Geometry;
            boxes.Add(l.Enclose(q => g.PhysicalToIndex(lg.IndexToPhysical(q))));
        }
        if (boxes.Count == 0) return (new Vec3(1, 1, 1), Vec3.Zero);
        var (min, max) = boxes[0];
        foreach (var (a, z) in boxes)
        {
            min = new Vec3(Math.Min(min.X, a.X), Math.Min(min.Y, a.Y), Math.Min(min.Z, a.Z));
            max = new Vec3(Math.Max(max.X, z.X), Math.Max(max.Y, z.Y), Math.Max(max.Z, z.Z));
        }
        return (min, max);
    }

    private OccupiedBox? Box(int volume, Volume<float> data, float threshold)
    {
        if (!_boxes.TryGetValue((volume, threshold), out var box)) _boxes[(volume, threshold)] = box = OccupiedBox.Above(data, threshold);
        return box;
    }

    private OccupiedBox? LabelBox()
    {
        if (_labelBoxKnown) return _labelBox;
        var visible = new bool[256];
        foreach (var value in _scene.LabelColors.Keys)
            if (value is > 0 and < 256) visible[value] = true;
        _labelBox = OccupiedBox.Labelled(_scene.Labels!, visible);
        _labelBoxKnown = true;
        return _labelBox;
    }

    // every sampler gets its own unit once: samplers of different types must never share a unit, even unused ones
    private static void AssignSamplerUnits(ShaderProgram p)
    {
        p.Use();
        p.Set("baseVolume", BaseUnit);
        p.Set("baseLut", BaseLutUnit);
        p.Set("overlayVolume", OverlayUnit);
        p.Set("overlayLut", OverlayLutUnit);
        p.Set("labelVolume", LabelUnit);
        p.Set("labelColours", LabelColourUnit);
    }

    private void SetPane(ShaderProgram p, Pane pane) => SetPane(p, pane, _framebufferHeight);

    private void SetPane(ShaderProgram p, Pane pane, int framebufferHeight)
    {
        int glY = framebufferHeight - pane.Y - pane.Height;
        _gl.Viewport(pane.X, glY, (uint)pane.Width, (uint)pane.Height);
        p.Set("paneOrigin", pane.X, glY);
        p.Set("paneSize", pane.Width, pane.Height);
    }

    private static void BindVolume(ShaderProgram p, string prefix, GpuVolume volume, SlicePlane plane, RigidTransform transform, int unit)
    {
        volume.Bind(unit);
        var g = volume.Geometry;
        p.Set(prefix + "Size", g.Nx, g.Ny, g.Nz);
        var m = IndexMapping.Of(plane, g, transform);
        Set(p, prefix + "O", m.O);
        Set(p, prefix + "Du", m.Du);
        Set(p, prefix + "Dv", m.Dv);
        Set(p, prefix + "Dn", new Vec3(NonZero(m.Dn.X), NonZero(m.Dn.Y), NonZero(m.Dn.Z)));
    }

    private void SetFusion(ShaderProgram p, ViewState state)
    {
        p.Set("fusionMode", (int)state.Fusion);
        p.Set("opacity", (float)state.Opacity);
        p.Set("tilePixels", Math.Max(1, state.TilePixels));
    }

    private void SetLabels(ShaderProgram p, SlicePlane plane, ViewState state)
    {
        bool labels = _labels is not null && state.ShowLabels;
        p.Set("hasLabels", labels ? 1 : 0);
        if (!labels) return;
        BindVolume(p, "label", _labels!, plane, RigidTransform.Identity, LabelUnit);
        _labelColours.Bind(LabelColourUnit);
        p.Set("labelOpacity", (float)state.LabelOpacity);
    }

    private void BindMap(ColorMap map, int unit)
    {
        if (!_maps.TryGetValue(map, out var texture)) _maps[map] = texture = LookupTexture.FromColorMap(_gl, map);
        texture.Bind(unit);
    }

    private void DrawFullScreen()
    {
        _gl.BindVertexArray(_emptyVao);
        _gl.DrawArrays(PrimitiveType.Triangles, 0, 3);
        _gl.BindVertexArray(0);
    }

    private static void Set(ShaderProgram p, string name, Vec3 v) => p.Set(name, (float)v.X, (float)v.Y, (float)v.Z);

    // a ray parallel to an index axis still needs a finite reciprocal in the slab test
    private static double NonZero(double v) => Math.Abs(v) < 1e-12 ? (v < 0 ? -1e-12 : 1e-12) : v;

    private static Mat3 Diagonal(double a, double b, double c) => new(a, 0, 0, 0, b, 0, 0, 0, c);

    private static double[,] Homogeneous(Mat3 m) => new double[,]
    {
        { m[0, 0], m[0, 1], m[0, 2], 0 }, { m[1, 0], m[1, 1], m[1, 2], 0 }, { m[2, 0], m[2, 1], m[2, 2], 0 }, { 0, 0, 0, 1 },
    };

    /// <summary>Frees the GPU resources.</summary>
    public void Dispose()
    {
        _base.Dispose();
        _overlay?.Dispose();
        _labels?.Dispose();
        _labelColours.Dispose();
        foreach (var t in _maps.Values) t.Dispose();
        _mpr.Dispose();
        _rayCast.Dispose();
        _lines.Dispose();
        _text.Dispose();
        _reduced?.Dispose();
        _gl.DeleteVertexArray(_emptyVao);
        _gl.DeleteVertexArray(_lineVao);
        _gl.DeleteBuffer(_lineBuffer);
    }
}
