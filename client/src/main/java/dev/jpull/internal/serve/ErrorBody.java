package dev.jpull.internal.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.internal.oci.JsonTrees;

/** The distribution spec's error body: {@code {"errors":[{"code":..., "message":..., "detail":...}]}}. */
final class ErrorBody {
    private ErrorBody() {
    }

    static byte[] of(String code, String message) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", code);
        error.put("message", message);
        error.putNull("detail");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("errors").add(error);
        return JsonTrees.bytes(body);
    }
}
