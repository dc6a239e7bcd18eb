package dev.jpull.internal.pull;

import dev.jpull.internal.oci.Platform;
import java.util.Locale;

/**
 * A normalised platform {@code os/arch[/variant]} following containerd/platforms ({@code normalizeArch},
 * {@code normalizeOS}): lower case; {@code x86_64}/{@code x86-64} -> {@code amd64} (variant {@code v1} dropped);
 * {@code aarch64} -> {@code arm64} ({@code 8}/{@code v8}/{@code v8.0} dropped, {@code 9}/{@code 9.0}/
 * {@code v9.0} -> {@code v9}); {@code armhf} -> {@code arm/v7}; {@code armel} -> {@code arm/v6}; {@code arm}
 * without variant -> {@code arm/v7}, bare {@code 5}..{@code 8} get a {@code v}; {@code i386} -> {@code 386};
 * {@code macos} -> {@code darwin}; an empty OS means {@code linux}. The variant is {@code ""} when absent.
 */
public record PlatformSpec(String os, String architecture, String variant) {

    public PlatformSpec {
        os = os == null ? "" : os;
        architecture = architecture == null ? "" : architecture;
        variant = variant == null ? "" : variant;
    }

    /** Normalises raw values; {@code null}s are treated as empty. */
    public static PlatformSpec normalize(String os, String architecture, String variant) {
        String o = lower(os);
        if (o.isEmpty()) {
            o = "linux";
        } else if (o.equals("macos")) {
            o = "darwin";
        }
        String a = lower(architecture);
        String v = lower(variant);
        switch (a) {
            case "i386" -> {
                a = "386";
                v = "";
            }
            case "x86_64", "x86-64", "amd64" -> {
                a = "amd64";
                if (v.equals("v1")) {
                    v = "";
                }
            }
            case "aarch64", "arm64" -> {
                a = "arm64";
                v = switch (v) {
                    case "8", "v8", "v8.0" -> "";
                    case "9", "9.0", "v9.0" -> "v9";
                    default -> v;
                };
            }
            case "armhf" -> {
                a = "arm";
                v = "v7";
            }
            case "armel" -> {
                a = "arm";
                v = "v6";
            }
            case "arm" -> v = switch (v) {
                case "", "7" -> "v7";
                case "5", "6", "8" -> "v" + v;
                default -> v;
            };
            default -> {
                // unknown architectures are kept as given (lower-cased)
            }
        }
        return new PlatformSpec(o, a, v);
    }

    /** The normalised form of a wire {@link Platform}. */
    public static PlatformSpec of(Platform p) {
        return normalize(p.os(), p.architecture(), p.variant());
    }

    /** {@code os/arch[/variant]}. */
    public String describe() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }

    private static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}
