package dev.jpull.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jpull.oci.Json;
import dev.jpull.text.Printable;
import java.util.List;
import java.util.stream.Collectors;

/** Wire type: the distribution error body {@code {"errors":[{"code","message","detail"}]}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record ErrorBody(List<Entry> errors) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(String code, String message) {
    }

    /**
     * {@code CODE: message; CODE2: message2} with control characters escaped ({@link Printable}), or null when
     * {@code body} is not a distribution error body.
     */
    static String summarize(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            ErrorBody parsed = Json.MAPPER.readValue(body, ErrorBody.class);
            if (parsed.errors() == null || parsed.errors().isEmpty()) {
                return null;
            }
            return parsed.errors().stream()
                    .map(e -> (e.code() == null ? "" : e.code() + ": ") + (e.message() == null ? "" : e.message()))
                    .map(Printable::escape).collect(Collectors.joining("; "));
        } catch (Exception e) {
            return null;
        }
    }
}
