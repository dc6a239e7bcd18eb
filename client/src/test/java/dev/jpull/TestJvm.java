package dev.jpull;

import java.io.File;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a test needs to start another JVM on the same code. */
public final class TestJvm {
    private TestJvm() {
    }

    /**
     * The class path of this JVM's code for a child started with {@code -cp}: the tests run the library as the
     * {@code dev.jpull} module (module path) with their own classes and dependencies on the class path, and a child
     * on the class path alone needs both.
     */
    public static String classPath() {
        return Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
