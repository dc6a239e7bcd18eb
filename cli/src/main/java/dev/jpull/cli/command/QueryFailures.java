package dev.jpull.cli.command;

import dev.jpull.Attempt;
import dev.jpull.JpullException;
import dev.jpull.PullFailedException;
import dev.jpull.cli.option.OutputFormat;
import dev.jpull.cli.output.QueryRenderer;
import java.io.PrintWriter;
import java.util.List;

/**
 * A failed {@code digest}, {@code inspect} or {@code tags}: with {@code -o json} still one JSON object on stdout
 * (as {@code pull -o json}), the error and every attempt; the exit code and the stderr line stay
 * {@link ErrorHandler}'s.
 */
final class QueryFailures {
    private QueryFailures() {
    }

    /** Prints the JSON failure of {@code e} when {@code format} is JSON, and returns {@code e} to be thrown. */
    static JpullException report(JpullException e, String given, OutputFormat format, PrintWriter out) {
        if (format == OutputFormat.JSON) {
            List<Attempt> attempts = e instanceof PullFailedException p ? p.attempts() : List.of();
            String reference = e instanceof PullFailedException p && p.reference() != null
                    ? p.reference().toString() : given;
            out.print(QueryRenderer.failure(reference, ErrorHandler.message(e), attempts));
            out.flush();
        }
        return e;
    }
}
