package dev.jpull.cli.command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jpull completion bash|zsh}: prints a shell completion script for jpull's commands and options, generated
 * from the command model by picocli. The script is the same for both shells: in zsh it loads {@code bashcompinit}.
 */
@Command(name = "completion",
        description = {
            "Print a completion script for SHELL (bash or zsh) on stdout.",
            "Load it in the current shell with",
            "  source <(jpull completion bash)",
            "or install it, e.g. jpull completion bash > /etc/bash_completion.d/jpull; in ~/.zshrc:",
            "  source <(jpull completion zsh)",
        })
public final class CompletionCommand implements Callable<Integer> {
    /** The shells a script can be printed for. */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    /** -h, -V, the version and the help headings (last: the help lists -h and -V after the options). */
    @Mixin
    CommandDefaults commandDefaults;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(script());
        out.flush();
        return 0;
    }

    /** The completion script for the whole {@code jpull} command tree. */
    String script() {
        return AutoComplete.bash("jpull", spec.root().commandLine());
    }
}
