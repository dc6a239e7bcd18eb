package dev.jpull.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jpull.CredentialsException;
import dev.jpull.internal.oci.Json;
import dev.jpull.spi.Credentials;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a containers {@code auth.json} as {@code podman login} / {@code skopeo login} do: the entry
 * {@code auths."<registry>"} = {@code {"auth": base64(user:password)}}, every other field and entry kept, the file
 * replaced atomically (a temporary file in the same directory, mode 0600, renamed over it; missing directories
 * created 0700). When the file names a credential helper for the registry ({@code credHelpers."<registry>"}, else
 * {@code credsStore}), the secret goes to the helper ({@code docker-credential-NAME store}) and the file is not
 * changed. Messages name the file or helper, never a secret.
 */
public final class AuthFileWriter {
    private static final Set<java.nio.file.attribute.PosixFilePermission> PRIVATE =
            PosixFilePermissions.fromString("rw-------");

    /** Where credentials went: {@code file}, or the helper's program when {@code helper} is not null. */
    public record Stored(Path file, String helper) {
        /** The file, or {@code docker-credential-NAME}. */
        public String where() {
            return helper != null ? "docker-credential-" + helper : file.toString();
        }
    }

    private AuthFileWriter() {
    }

    /** The key of {@code registry} in the file: {@code docker.io} for Docker Hub's names, else {@code host[:port]}. */
    public static String key(String registry) {
        String r = registry.toLowerCase(Locale.ROOT);
        return DockerConfigCredentials.isDockerHub(r) ? "docker.io" : registry;
    }

    /** Stores {@code username}/{@code password} for {@code registry} in {@code file} or its helper. */
    public static Stored store(Path file, String registry, String username, String password, Map<String, String> env) {
        String key = key(registry);
        Read current = read(file);
        ObjectNode root = current.tree();
        String helper = helperOf(current.parsed(), key);
        if (helper != null) {
            new HelperCredentials(helper, env).store(key, username, password);
            return new Stored(file, helper);
        }
        String auth = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        ObjectNode auths = object(root, "auths", file);
        auths.remove(key);
        auths.putObject(key).put("auth", auth);
        write(file, root);
        return new Stored(file, null);
    }

    /**
     * Removes what {@code file} (or its helper) holds for {@code registry}.
     *
     * @return where it was removed from, or null when there was nothing for {@code registry}
     */
    public static Stored erase(Path file, String registry, Map<String, String> env) {
        String key = key(registry);
        Read current = read(file);
        ObjectNode root = current.tree();
        String helper = helperOf(current.parsed(), key);
        boolean erased = helper != null && new HelperCredentials(helper, env).erase(key);
        JsonNode auths = root.get("auths");
        boolean inFile = auths instanceof ObjectNode o && o.has(key);
        if (inFile) {
            ((ObjectNode) auths).remove(key);
            write(file, root);
        }
        if (!erased && !inFile) {
            return null;
        }
        return new Stored(file, erased ? helper : null);
    }

    /**
     * The user name {@code file} (or the helper it names for {@code registry}) holds for {@code registry}
     * ({@code podman login --get-login}); null when it holds none. Reads only.
     */
    public static String username(Path file, String registry, Map<String, String> env) {
        String key = key(registry);
        AuthFile parsed = read(file).parsed();
        String helper = helperOf(parsed, key);
        Credentials c = helper != null ? new HelperCredentials(helper, env).get(key) : null;
        if (c == null || c.username() == null || c.username().isEmpty()) {
            c = parsed.auths().get(key);
        }
        return c == null || c.username() == null || c.username().isEmpty() ? null : c.username();
    }

    /** The helper {@code credHelpers."key"} names, else {@code credsStore}; null when neither does. */
    private static String helperOf(AuthFile parsed, String key) {
        String h = parsed.credHelpers().get(key); // AuthFile keeps no empty helper name
        return h != null ? h : parsed.credsStore();
    }

    /**
     * Removes every credential {@code file} holds and every one its helpers hold ({@code podman logout --all}):
     * the {@code auths} entries, what each {@code credHelpers} helper has for its registry, and everything the
     * {@code credsStore} helper lists. The helper settings themselves stay (they are configuration).
     *
     * @return the registries whose credentials were removed, each once, in order
     */
    public static List<String> eraseAll(Path file, Map<String, String> env) {
        Read current = read(file);
        java.util.Set<String> removed = new java.util.LinkedHashSet<>();
        current.parsed().credHelpers().forEach((key, helper) -> {
            if (new HelperCredentials(helper, env).erase(key)) {
                removed.add(key);
            }
        });
        String store = current.parsed().credsStore();
        if (store != null) {
            HelperCredentials h = new HelperCredentials(store, env);
            for (String server : h.list()) {
                if (h.erase(server)) {
                    removed.add(server);
                }
            }
        }
        JsonNode auths = current.tree().get("auths");
        if (auths instanceof ObjectNode o && o.size() > 0) {
            o.fieldNames().forEachRemaining(removed::add);
            o.removeAll();
            write(file, current.tree());
        }
        return List.copyOf(removed);
    }

    /** The file as a tree to change and write back, and as the credentials it holds; both empty when it is absent. */
    private record Read(ObjectNode tree, AuthFile parsed) {
    }

    private static Read read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Read(Json.MAPPER.createObjectNode(), AuthFile.parse(new byte[0], file.toString()));
        } catch (IOException e) {
            throw new CredentialsException("cannot read credentials file " + file + ": " + e.getClass().getSimpleName());
        }
        AuthFile parsed = AuthFile.parse(bytes, file.toString()); // the same checks as reading it: errors name the key
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return new Read(Json.MAPPER.createObjectNode(), parsed);
        }
        try {
            return new Read((ObjectNode) Json.MAPPER.readTree(bytes), parsed);
        } catch (IOException e) {
            throw new CredentialsException(file + ": malformed JSON");
        }
    }

    private static ObjectNode object(ObjectNode root, String field, Path file) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return root.putObject(field);
        }
        if (!n.isObject()) {
            throw new CredentialsException(file + ": " + field + " must be an object");
        }
        return (ObjectNode) n;
    }

    private static void write(Path file, ObjectNode root) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            tmp = Files.createTempFile(dir, ".auth.json.", ".tmp", PosixFilePermissions.asFileAttribute(PRIVATE));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, PRIVATE); // whatever the umask
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new CredentialsException("cannot write credentials file " + file + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file holds the secret, but is 0600
                }
            }
        }
    }
}
