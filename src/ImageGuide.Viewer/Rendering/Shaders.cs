namespace ImageGuide.Viewer.Rendering;

/// <summary>
/// GLSL 3.30 sources. Every geometric quantity arrives as a uniform computed on the CPU by core
/// (plane → continuous voxel index as <c>o + x·du + y·dv</c>, exactly as <c>Reslicer</c> does it); the shaders only
/// sample, window, colour-map, fuse and composite.
/// </summary>
internal static class Shaders
{
    /// <summary>A triangle covering the viewport, from gl_VertexID (no vertex buffer).</summary>
    public const string FullScreenVertex = """
        #version 330 core
        void main() {
            vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2);
            gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
        }
        """;

    private const string Common = """
        #version 330 core
        out vec4 fragColour;
        uniform vec2 paneOrigin;  // lower-left corner of the pane in framebuffer pixels
        uniform vec2 paneSize;    // pane width, height in pixels

        // pixel (x, y) of the pane's plane, y down, pixel centres at integers
        vec2 planePixel() {
            return vec2(gl_FragCoord.x - 0.5 - paneOrigin.x, paneOrigin.y + paneSize.y - 0.5 - gl_FragCoord.y);
        }

        bool inside(vec3 idx, vec3 size) {
            return all(greaterThanEqual(idx, vec3(-0.5))) && all(lessThanEqual(idx, size - 0.5));
        }

        // trilinear value at continuous index idx (edge value repeated within half a voxel, as core's Interpolator)
        float sampleAt(sampler3D volume, vec3 size, vec3 idx) {
            return texture(volume, (idx + 0.5) / size).r;
        }

        // label at continuous index (nearest voxel), -1 outside
        int labelAt(usampler3D labels, vec3 size, vec3 idx) {
            if (!inside(idx, size)) return -1;
            ivec3 v = min(ivec3(floor(idx + 0.5)), ivec3(size) - 1);
            return int(texelFetch(labels, v, 0).r);
        }

        // core's WindowLevel.Apply then ColorMap.Map, in 0..255 units
        vec3 colourise(float v, vec2 window, sampler2D lut) {
            float t = clamp((v - window.x) / window.y, 0.0, 1.0);
            return texelFetch(lut, ivec2(int(floor(t * 255.0 + 0.5)), 0), 0).rgb * 255.0;
        }

        // core's RgbaImage.Mix: round(a + (b − a)·alpha) away from zero
        vec3 mixRound(vec3 a, vec3 b, float alpha) {
            vec3 m = a + (b - a) * alpha;
            return sign(m) * floor(abs(m) + 0.5);
        }
        """;

    /// <summary>One MPR pane: base, overlay through its transform, fusion, labels with contours.</summary>
    public const string MprFragment = Common + """

        uniform sampler3D baseVolume;  uniform vec3 baseSize;  uniform vec3 baseO, baseDu, baseDv;
        uniform sampler2D baseLut;     uniform vec2 baseWindow;   // (low, width)
        uniform int hasOverlay;
        uniform sampler3D overlayVolume; uniform vec3 overlaySize; uniform vec3 overlayO, overlayDu, overlayDv;
        uniform sampler2D overlayLut;  uniform vec2 overlayWindow;
        uniform int fusionMode;        // 0 alpha, 1 checkerboard, 2 difference
        uniform float opacity;
        uniform int tilePixels;
        uniform int hasLabels;
        uniform usampler3D labelVolume; uniform vec3 labelSize; uniform vec3 labelO, labelDu, labelDv;
        uniform sampler2D labelColours; uniform float labelOpacity;

        vec3 labelColour(int value) { return texelFetch(labelColours, ivec2(clamp(value, 0, 255), 0), 0).rgb * 255.0; }
        bool hasColour(int value) { return value > 0 && texelFetch(labelColours, ivec2(clamp(value, 0, 255), 0), 0).a > 0.5; }

        void main() {
            vec2 p = planePixel();
            vec3 idx = baseO + p.x * baseDu + p.y * baseDv;
            vec3 a = inside(idx, baseSize) ? colourise(sampleAt(baseVolume, baseSize, idx), baseWindow, baseLut) : vec3(0.0);
            vec3 c = a;
            if (hasOverlay != 0) {
                vec3 j = overlayO + p.x * overlayDu + p.y * overlayDv;
                bool valid = inside(j, overlaySize);
                vec3 b = valid ? colourise(sampleAt(overlayVolume, overlaySize, j), overlayWindow, overlayLut) : vec3(0.0);
                if (fusionMode == 0) c = valid ? mixRound(a, b, opacity) : a;
                else if (fusionMode == 1) c = (((int(p.x) / tilePixels + int(p.y) / tilePixels) & 1) == 0) ? a : b;
                else c = abs(a - b);
            }
            if (hasLabels != 0) {
                vec3 l = labelO + p.x * labelDu + p.y * labelDv;
                int v = labelAt(labelVolume, labelSize, l);
                if (hasColour(v)) {
                    bool edge = p.x < 0.5 || p.y < 0.5 || p.x > paneSize.x - 1.5 || p.y > paneSize.y - 1.5
                        || labelAt(labelVolume, labelSize, l - labelDu) != v || labelAt(labelVolume, labelSize, l + labelDu) != v
                        || labelAt(labelVolume, labelSize, l - labelDv) != v || labelAt(labelVolume, labelSize, l + labelDv) != v;
                    c = edge ? labelColour(v) : mixRound(c, labelColour(v), labelOpacity);
                }
            }
            fragColour = vec4(c / 255.0, 1.0);
        }
        """;

    /// <summary>
    /// The 3-D pane: orthographic rays along the camera plane's normal through the base volume's box, front-to-back
    /// compositing of the base (bone transfer function, headlight-shaded), the overlay through its transform
    /// (soft-tissue transfer function on its colour map) and coloured labels.
    /// </summary>
    public const string RayCastFragment = Common + """

        uniform sampler3D baseVolume;  uniform vec3 baseSize;  uniform vec3 baseO, baseDu, baseDv, baseDn;
        uniform vec3 baseTf;           // (low, high, max opacity): opacity ramps smoothly from low to high
        uniform vec3 baseColour;
        uniform mat4 baseGradientToWorld; // index-space gradient → LPS gradient
        uniform vec3 viewDirection;
        uniform int hasOverlay;
        uniform sampler3D overlayVolume; uniform vec3 overlaySize; uniform vec3 overlayO, overlayDu, overlayDv, overlayDn;
        uniform vec3 overlayTf;
        uniform sampler2D overlayLut;
        uniform int fusionMode;
        uniform float opacity;
        uniform int tilePixels;
        uniform int hasLabels;
        uniform usampler3D labelVolume; uniform vec3 labelSize; uniform vec3 labelO, labelDu, labelDv, labelDn;
        uniform sampler2D labelColours; uniform float labelOpacity;
        uniform float stepMm;
        uniform vec3 boxMin, boxMax;   // where anything visible can be (empty when boxMin > boxMax)

        float ramp(vec3 tf, float v) { return smoothstep(tf.x, tf.y, v) * tf.z; }

        void main() {
            vec2 p = planePixel();
            vec3 start = baseO + p.x * baseDu + p.y * baseDv;
            // slab test against the box of possibly visible voxels (base index space) within the voxel-edge box
            vec3 lo = max(boxMin, vec3(-0.5)), hi = min(boxMax, baseSize - 0.5);
            vec3 inv = 1.0 / baseDn;
            vec3 t0 = (lo - start) * inv, t1 = (hi - start) * inv;
            float tNear = max(max(min(t0.x, t1.x), min(t0.y, t1.y)), min(t0.z, t1.z));
            float tFar = min(min(max(t0.x, t1.x), max(t0.y, t1.y)), max(t0.z, t1.z));
            vec4 acc = vec4(0.0);
            bool tile = (((int(p.x) / tilePixels + int(p.y) / tilePixels) & 1) == 0);
            bool showBase = hasOverlay == 0 || fusionMode != 1 || tile;
            bool showOverlay = hasOverlay != 0 && (fusionMode != 1 || !tile);
            float overlayScale = fusionMode == 1 ? 1.0 : opacity;
            if (any(greaterThan(lo, hi))) { fragColour = vec4(0.0, 0.0, 0.0, 1.0); return; }
            for (float t = tNear + 0.5 * stepMm; t < tFar && acc.a < 0.98; t += stepMm) {
                vec3 idx = start + t * baseDn;
                if (showBase) {
                    float v = sampleAt(baseVolume, baseSize, idx);
                    float a = ramp(baseTf, v);
                    if (a > 0.002) {
                        vec3 h = vec3(0.5);
                        vec3 g = vec3(sampleAt(baseVolume, baseSize, idx + vec3(h.x, 0, 0)) - sampleAt(baseVolume, baseSize, idx - vec3(h.x, 0, 0)),
                                      sampleAt(baseVolume, baseSize, idx + vec3(0, h.y, 0)) - sampleAt(baseVolume, baseSize, idx - vec3(0, h.y, 0)),
                                      sampleAt(baseVolume, baseSize, idx + vec3(0, 0, h.z)) - sampleAt(baseVolume, baseSize, idx - vec3(0, 0, h.z)));
                        vec3 gw = (baseGradientToWorld * vec4(g, 0.0)).xyz;
                        float shade = length(gw) > 1e-6 ? 0.35 + 0.65 * abs(dot(normalize(gw), viewDirection)) : 1.0;
                        a = 1.0 - pow(1.0 - min(a, 0.999), stepMm);
                        acc.rgb += (1.0 - acc.a) * a * baseColour * shade;
                        acc.a += (1.0 - acc.a) * a;
                    }
                }
                if (showOverlay) {
                    vec3 j = overlayO + p.x * overlayDu + p.y * overlayDv + t * overlayDn;
                    if (inside(j, overlaySize)) {
                        float v = sampleAt(overlayVolume, overlaySize, j);
                        float a = ramp(overlayTf, v) * overlayScale;
                        if (a > 0.002) {
                            float s = clamp((v - overlayTf.x) / max(overlayTf.y - overlayTf.x, 1e-6), 0.0, 1.0);
                            vec3 colour = texelFetch(overlayLut, ivec2(int(floor(s * 255.0 + 0.5)), 0), 0).rgb;
                            a = 1.0 - pow(1.0 - min(a, 0.999), stepMm);
                            acc.rgb += (1.0 - acc.a) * a * colour;
                            acc.a += (1.0 - acc.a) * a;
                        }
                    }
                }
                if (hasLabels != 0) {
                    vec3 l = labelO + p.x * labelDu + p.y * labelDv + t * labelDn;
                    int value = labelAt(labelVolume, labelSize, l);
                    if (value > 0) {
                        vec4 colour = texelFetch(labelColours, ivec2(value, 0), 0);
                        float a = colour.a * labelOpacity;
                        if (a > 0.0) {
                            a = 1.0 - pow(1.0 - min(a, 0.999), stepMm);
                            acc.rgb += (1.0 - acc.a) * a * colour.rgb;
                            acc.a += (1.0 - acc.a) * a;
                        }
                    }
                }
            }
            fragColour = vec4(acc.rgb, 1.0);
        }
        """;

    /// <summary>Lines given in framebuffer pixels (x right, y down from the top-left), one colour per draw.</summary>
    public const string LineVertex = """
        #version 330 core
        layout(location = 0) in vec2 position;
        uniform vec2 framebufferSize;
        void main() {
            vec2 ndc = vec2((position.x + 0.5) / framebufferSize.x * 2.0 - 1.0, 1.0 - (position.y + 0.5) / framebufferSize.y * 2.0);
            gl_Position = vec4(ndc, 0.0, 1.0);
        }
        """;

    /// <summary>Flat colour.</summary>
    public const string LineFragment = """
        #version 330 core
        out vec4 fragColour;
        uniform vec3 colour;
        void main() { fragColour = vec4(colour, 1.0); }
        """;
}
