package dev.jpull.cli.option;

import picocli.CommandLine.Option;

/** {@code --password-stdin}, declared once for pull, resolve, diagnose and login (a mixin). */
public final class PasswordStdinOption {
    @Option(names = "--password-stdin",
            description = "Read the password from the first line of stdin (never from the command line, where it "
                    + "would land in shell history and ps).")
    public boolean passwordStdin;
}
