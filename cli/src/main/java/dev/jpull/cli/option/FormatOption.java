package dev.jpull.cli.option;

import picocli.CommandLine.Option;

/** {@code -o, --output FORMAT}, declared once for every command that prints a result (a mixin). */
public final class FormatOption {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = CommonOptions.DEFAULT_OUTPUT,
            converter = OutputFormat.Converter.class, completionCandidates = OutputFormat.Candidates.class,
            description = "Result format on stdout: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    public OutputFormat output;
}
