package dev.jpull.internal.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jpull.CredentialsException;
import dev.jpull.internal.oci.JsonTrees;
import dev.jpull.spi.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The credential part of a Docker {@code config.json} or a containers {@code auth.json}: {@code auths},
 * {@code credHelpers}, {@code credsStore}. Other fields are ignored. Parsing is strict where Docker is: an
 * {@code auth} value that is not base64 of {@code user:password} with a non-empty user makes the whole file
 * unusable. Error messages name the file and the key, never a value.
 *
 * @param name        the file (or variable) the data came from, for messages and origins
 * @param auths       {@code auths} key → credentials (entries without any credential are left out), file order
 * @param credHelpers {@code credHelpers} key → helper suffix
 * @param credsStore  {@code credsStore} helper suffix, or null
 */
record AuthFile(String name, Map<String, Credentials> auths, Map<String, String> credHelpers, String credsStore) {

    AuthFile {
        auths = Collections.unmodifiableMap(new LinkedHashMap<>(auths));
        credHelpers = Collections.unmodifiableMap(new LinkedHashMap<>(credHelpers));
    }

    /**
     * Reads {@code file}; null when it does not exist.
     *
     * @throws CredentialsException if it cannot be read or is malformed
     */
    static AuthFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CredentialsException("cannot read credentials file " + file + ": "
                    + e.getClass().getSimpleName());
        }
        return parse(bytes, file.toString());
    }

    /** Parses JSON {@code bytes}; an empty document counts as an empty file. */
    static AuthFile parse(byte[] bytes, String name) {
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return new AuthFile(name, Map.of(), Map.of(), null);
        }
        JsonNode root;
        try {
            root = JsonTrees.read(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the input, which may hold a secret: only show the position
            JsonLocation at = e.getLocation();
            throw new CredentialsException(name + ": malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new CredentialsException(name + ": cannot be read");
        }
        if (root == null || !root.isObject()) {
            throw new CredentialsException(name + ": not a JSON object");
        }
        Map<String, Credentials> auths = new LinkedHashMap<>();
        JsonNode authsNode = object(root, "auths", name);
        if (authsNode != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = authsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Credentials c = entry(e.getKey(), e.getValue(), name);
                if (c != null) {
                    auths.put(e.getKey(), c);
                }
            }
        }
        Map<String, String> helpers = new LinkedHashMap<>();
        JsonNode helpersNode = object(root, "credHelpers", name);
        if (helpersNode != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = helpersNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String helper = string(e.getValue(), name, "credHelpers." + e.getKey());
                if (helper != null) {
                    helpers.put(e.getKey(), helper);
                }
            }
        }
        String store = string(root.get("credsStore"), name, "credsStore");
        return new AuthFile(name, auths, helpers, store);
    }

    private static Credentials entry(String key, JsonNode node, String name) {
        String where = "auths." + key;
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new CredentialsException(name + ": " + where + " must be an object");
        }
        String username = string(node.get("username"), name, where + ".username");
        String password = string(node.get("password"), name, where + ".password");
        String auth = string(node.get("auth"), name, where + ".auth");
        String identityToken = string(node.get("identitytoken"), name, where + ".identitytoken");
        String registryToken = string(node.get("registrytoken"), name, where + ".registrytoken");
        if (auth != null) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new CredentialsException(name + ": " + where + ".auth is not valid base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new CredentialsException(name + ": " + where + ".auth does not decode to user:password");
            }
            username = decoded.substring(0, colon);
            password = trimNul(decoded.substring(colon + 1));
        }
        if (username == null && identityToken == null && registryToken == null) {
            return null; // nothing usable (a password alone, or only email/serveraddress)
        }
        String secret = password;
        if (username != null && password == null && identityToken == null) {
            secret = ""; // a user without password, as registries.yaml's username without password
        }
        return new Credentials(username, username == null ? null : secret, identityToken, registryToken);
    }

    private static String trimNul(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '\0') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(start, end);
    }

    private static JsonNode object(JsonNode root, String field, String name) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new CredentialsException(name + ": " + field + " must be an object");
        }
        return n;
    }

    /** A string field, null when absent, null or empty. */
    private static String string(JsonNode n, String name, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new CredentialsException(name + ": " + where + " must be a string");
        }
        return n.asText().isEmpty() ? null : n.asText();
    }

    @Override
    public String toString() {
        return "AuthFile[" + name + ", auths=" + auths.keySet() + ", credHelpers=" + credHelpers
                + ", credsStore=" + credsStore + "]";
    }
}
