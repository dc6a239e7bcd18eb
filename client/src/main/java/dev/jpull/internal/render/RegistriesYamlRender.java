package dev.jpull.internal.render;

import dev.jpull.ConfigWarning;
import dev.jpull.DestinationException;
import dev.jpull.RegistriesConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code config render --local-mirror HOST:PORT --format registries-yaml}: the K3s registries.yaml with the local
 * mirror first in every {@code mirrors} entry ({@link LocalMirrorFirst#registries}), everything else of the
 * configuration as it was ({@link RegistriesYamlText}). Written with mode 0600 (it holds the credentials); a
 * file it replaces that jpull did not write is kept as {@code registries.yaml.bak}.
 */
public final class RegistriesYamlRender {
    /** The start of the first line of every file written; a file without it is backed up before it is replaced. */
    public static final String MARK = "# Written by jpull config render --local-mirror";
    static final String FILE = "registries.yaml";
    static final String BACKUP = "registries.yaml.bak";

    private RegistriesYamlRender() {
    }

    /** The text of {@code registries.yaml} for {@code config} with {@code local} first. */
    public static ContainerdRender.Rendered render(RegistriesConfig config, LocalMirrorAddress local) {
        List<ConfigWarning> warnings = new ArrayList<>();
        RegistriesConfig first = LocalMirrorFirst.registries(config, local, warnings);
        String from = config.source() == null ? "" : " (from " + printable(config.source().toString()) + ")";
        String header = MARK + " " + local.hostPort() + from + ":\n"
                + "# the local mirror (jpull serve) first for every registry, the original endpoints after it, so\n"
                + "# that containerd falls back to them when jpull serve is down. Render again after editing.\n";
        return new ContainerdRender.Rendered(Map.of(FILE, RegistriesYamlText.write(header, first)), warnings);
    }

    /** Renders into {@code outputDir}/registries.yaml; returns the files written (the backup first). */
    public static ContainerdRender.Rendered write(RegistriesConfig config, LocalMirrorAddress local, Path outputDir) {
        Path out = outputDir.toAbsolutePath().normalize();
        ContainerdRender.Rendered r = render(config, local);
        String text = r.files().get(FILE);
        Map<String, String> written = new LinkedHashMap<>();
        Path target = out.resolve(FILE);
        try {
            Files.createDirectories(out);
            if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                String old = Files.readString(target, StandardCharsets.UTF_8);
                if (!old.equals(text) && !old.startsWith(MARK)) {
                    Path tmp = out.resolve(BACKUP + ".tmp");
                    PrivateFile.write(tmp, old);
                    Files.move(tmp, out.resolve(BACKUP), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                    written.put(BACKUP, old);
                }
            }
            Path tmp = out.resolve(FILE + ".tmp");
            PrivateFile.write(tmp, text);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.put(FILE, text);
        } catch (IOException e) {
            throw new DestinationException("cannot write to " + out + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return new ContainerdRender.Rendered(written, r.warnings());
    }

    /** A file name in a comment: control characters (a line break would end the comment) as {@code ?}. */
    private static String printable(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]", "?");
    }

}
