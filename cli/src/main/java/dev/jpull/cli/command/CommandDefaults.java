package dev.jpull.cli.command;

import picocli.CommandLine.Command;

/**
 * The {@code @Command} attributes every jpull command shares, mixed into each one with {@code @Mixin}: the standard
 * {@code -h}/{@code -V} options, the version, options in declaration order, and the section headings of the help.
 * A heading shows only when its section has content (no "Arguments:" for a command without arguments);
 * the exit-code and command-list headings stay with the commands that have such lists.
 */
@Command(mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        descriptionHeading = "%n",
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n")
public final class CommandDefaults {
}
