package dev.jpull.cli;

import dev.jpull.cli.option.Env;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates jpull's man pages (AsciiDoc, {@code doctype: manpage}) from the picocli command model with picocli's
 * {@link ManPageGenerator}: {@code jpull.adoc} and one page per subcommand ({@code jpull-pull.adoc}, ...). Run at
 * build time (Maven phase {@code process-test-classes}) into {@code cli/target/man/}; lives with the tests so that
 * picocli-codegen stays out of the runnable jar. Render with e.g. {@code asciidoctor -b manpage jpull.adoc}.
 */
public final class ManPages {
    private ManPages() {
    }

    /** {@code ManPages OUTDIR}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTDIR");
        }
        generate(Path.of(args[0]));
    }

    /** Writes the pages into {@code dir} (created when missing). */
    static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        int rc = ManPageGenerator.generateManPage(dir.toFile(), null, new boolean[0], false,
                model().getCommandSpec());
        if (rc != 0) {
            throw new IOException("man page generation failed with exit code " + rc);
        }
    }

    /** The page of the top-level command alone, as AsciiDoc. */
    static String topLevelPage() {
        StringWriter sw = new StringWriter();
        try (PrintWriter pw = new PrintWriter(sw)) {
            ManPageGenerator.writeSingleManPage(pw, model().getCommandSpec());
        }
        return sw.toString();
    }

    /** The full command tree as the tool builds it. */
    static CommandLine model() {
        PrintWriter none = new PrintWriter(Writer.nullWriter());
        return Main.commandLine(Env.of(Map.of(), Path.of(System.getProperty("user.home"))), none, none);
    }
}
