package dev.jpull.internal.pull;

import dev.jpull.ConfigException;
import dev.jpull.internal.oci.Descriptor;
import dev.jpull.internal.oci.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chooses the image for one platform from an image index the way containerd does (containerd/platforms
 * {@code Only}, {@code core/images} {@code LimitManifests}): both sides are normalised ({@link PlatformSpec}),
 * then each index entry is ranked by the first position of the wanted platform's preference list it matches:
 * <ul>
 *   <li>{@code amd64/vN}: {@code amd64/vN} ... {@code amd64/v2}, {@code amd64} (= {@code v1}), then {@code 386};</li>
 *   <li>{@code arm/vN}: {@code arm/vN} down to {@code arm/v5};</li>
 *   <li>{@code arm64[/vM.m]}: the variant, the lower minors of its major, and for {@code v9.m} then
 *       {@code v8.(m+5)} down to {@code v8} (so {@code v9.6} accepts {@code v9.5}..{@code v9},
 *       {@code v8.11}..{@code v8}), then {@code arm/v8}, {@code v7}, {@code v6}, {@code v5} (containerd/platforms
 *       {@code platformVector}, including its quirks: a two-digit minor such as {@code v8.10} matches only itself
 *       and the arm variants);</li>
 *   <li>anything else: itself only.</li>
 * </ul>
 * Entries without {@code platform} are acceptable at the lowest preference; entries with {@code os.features}
 * never match (the wanted platform has none), so BuildKit attestation manifests ({@code unknown/unknown},
 * annotated {@code vnd.docker.reference.type=attestation-manifest}) never match. Among equal preference the
 * first entry in index order wins. Windows OS-version rules are not implemented.
 */
public final class PlatformMatcher {
    private static final Pattern SPEC = Pattern.compile("([A-Za-z0-9._-]+)/([A-Za-z0-9._-]+)(?:/([A-Za-z0-9._-]+))?");
    private static final Pattern ARM64_VARIANT = Pattern.compile("v(8|9)(?:\\.([0-9]))?");
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

    private final PlatformSpec wanted;
    private final List<PlatformSpec> preferences;

    private PlatformMatcher(PlatformSpec wanted) {
        this.wanted = wanted;
        this.preferences = List.copyOf(preferences(wanted));
    }

    /**
     * A matcher for {@code spec} ({@code OS/ARCH[/VARIANT]}); {@code null} or blank means the host's platform
     * ({@link #host()}).
     *
     * @throws ConfigException when {@code spec} is malformed
     */
    public static PlatformMatcher forSpec(String spec) {
        if (spec == null || spec.isBlank()) {
            return host();
        }
        Matcher m = SPEC.matcher(spec.trim());
        if (!m.matches()) {
            throw new ConfigException("invalid --platform \"" + spec + "\": expected OS/ARCH[/VARIANT]");
        }
        return new PlatformMatcher(PlatformSpec.normalize(m.group(1), m.group(2), m.group(3)));
    }

    /**
     * The host's platform: always {@code linux} (jpull pulls Linux images, as for a K3s node) with the
     * architecture from {@code os.arch}: {@code amd64} on x86-64, {@code arm64} on aarch64, {@code arm/v7} on
     * 32-bit ARM, {@code 386} on x86.
     */
    public static PlatformMatcher host() {
        return forHostArch(System.getProperty("os.arch", ""));
    }

    static PlatformMatcher forHostArch(String osArch) {
        String a = osArch.toLowerCase(Locale.ROOT);
        String arch;
        if (a.equals("x86_64") || a.equals("amd64")) {
            arch = "amd64";
        } else if (a.equals("aarch64") || a.equals("arm64")) {
            arch = "arm64";
        } else if (a.startsWith("arm")) {
            arch = "arm";
        } else if (a.equals("x86") || a.matches("i[3-6]86")) {
            arch = "386";
        } else {
            arch = a;
        }
        return new PlatformMatcher(PlatformSpec.normalize("linux", arch, ""));
    }

    /** The normalised wanted platform. */
    public PlatformSpec platform() {
        return wanted;
    }

    /** The normalised wanted platform as {@code os/arch[/variant]}. */
    public String describe() {
        return wanted.describe();
    }

    /** The best entry of an index's {@code manifests} for this platform, or empty when none is acceptable. */
    public Optional<Descriptor> select(List<Descriptor> manifests) {
        return ranked(manifests).stream().findFirst();
    }

    /** The acceptable entries of an index's {@code manifests}, best first (index order among equals). */
    public List<Descriptor> ranked(List<Descriptor> manifests) {
        List<Descriptor> out = new ArrayList<>();
        for (Descriptor d : manifests) {
            if (rank(d) != Integer.MAX_VALUE) {
                out.add(d);
            }
        }
        out.sort(java.util.Comparator.comparingInt(this::rank));
        return out;
    }

    /** Whether {@code platform} is acceptable at all (an entry without platform is, at the lowest preference). */
    public boolean matches(Platform platform) {
        return platform == null || rank(platform) >= 0;
    }

    /**
     * How well an index entry's {@code platform} suits this platform: 0 is best, an entry without platform (null)
     * comes after every match, {@link Integer#MAX_VALUE} when it does not match.
     */
    public int preference(Platform platform) {
        if (platform == null) {
            return preferences.size();
        }
        int rank = rank(platform);
        return rank < 0 ? Integer.MAX_VALUE : rank;
    }

    /** 0 = best; {@code preferences.size()} for an entry without platform; MAX_VALUE when not acceptable. */
    private int rank(Descriptor d) {
        if (d.annotations() != null && "attestation-manifest".equals(d.annotations().get(REFERENCE_TYPE))) {
            return Integer.MAX_VALUE;
        }
        if (d.platform() == null) {
            return preferences.size();
        }
        int rank = rank(d.platform());
        return rank < 0 ? Integer.MAX_VALUE : rank;
    }

    private int rank(Platform p) {
        if (p.osFeatures() != null && !p.osFeatures().isEmpty()) {
            return -1;
        }
        return preferences.indexOf(PlatformSpec.of(p));
    }

    private static List<PlatformSpec> preferences(PlatformSpec p) {
        List<PlatformSpec> out = new ArrayList<>();
        switch (p.architecture()) {
            case "amd64" -> {
                int level = version(p.variant(), 1);
                if (level > 1) {
                    for (int v = level; v >= 1; v--) {
                        out.add(PlatformSpec.normalize(p.os(), "amd64", "v" + v));
                    }
                } else {
                    out.add(p);
                }
                out.add(PlatformSpec.normalize(p.os(), "386", ""));
            }
            case "arm" -> {
                int level = version(p.variant(), -1);
                if (level > 5) {
                    for (int v = level; v >= 5; v--) {
                        out.add(PlatformSpec.normalize(p.os(), "arm", "v" + v));
                    }
                } else {
                    out.add(p);
                }
            }
            case "arm64" -> arm64(p, out);
            default -> out.add(p);
        }
        return out;
    }

    /**
     * containerd/platforms {@code platformVector} for arm64, step by step: the variant itself; for {@code vM.m}
     * ({@code m} one digit) the lower minors of the same major; a {@code v9.m} then continues at {@code v8.(m+5)}
     * (v9.0 branched off v8.5) and every lower v8 minor; finally the 32-bit arm vector of {@code v8} (of the
     * variant itself when it has no minor, e.g. {@code arm/v9} for {@code v9}).
     */
    private static void arm64(PlatformSpec p, List<PlatformSpec> out) {
        out.add(p);
        String variant = p.variant().isEmpty() ? "v8" : p.variant();
        int dot = variant.indexOf('.');
        String majorPart = dot < 0 ? variant : variant.substring(0, dot);
        int major = atoi(majorPart.startsWith("v") ? majorPart.substring(1) : majorPart);
        if (major >= 8) {
            int minor = 0;
            if (variant.length() == 4 && dot >= 0) {
                minor = Math.max(atoi(variant.substring(dot + 1)), 0);
            }
            if (major == 9) {
                for (int v = minor - 1; v >= 0; v--) {
                    out.add(PlatformSpec.normalize(p.os(), "arm64", v == 0 ? "v9" : "v9." + v));
                }
                minor += 5;
                major = 8;
                out.add(PlatformSpec.normalize(p.os(), "arm64", "v8." + minor));
            }
            for (int v = minor - 1; v >= 0; v--) {
                out.add(PlatformSpec.normalize(p.os(), "arm64", v == 0 ? "v" + major : "v" + major + "." + v));
            }
        }
        if (variant.startsWith("v8.") || variant.startsWith("v9.")) {
            variant = "v8";
        }
        out.addAll(preferences(PlatformSpec.normalize(p.os(), "arm", variant)));
    }

    /** Go's {@code strconv.Atoi} for what it accepts here; -1 when it would fail. */
    private static int atoi(String s) {
        if (!s.matches("[+-]?[0-9]{1,9}")) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    /** {@code vN} or {@code N} -> N; {@code ""} -> {@code empty}; anything else -> -1. */
    private static int version(String variant, int empty) {
        if (variant.isEmpty()) {
            return empty;
        }
        String digits = variant.startsWith("v") ? variant.substring(1) : variant;
        return digits.matches("[0-9]{1,2}") ? Integer.parseInt(digits) : -1;
    }

    @Override
    public String toString() {
        return "PlatformMatcher[" + describe() + "]";
    }
}
