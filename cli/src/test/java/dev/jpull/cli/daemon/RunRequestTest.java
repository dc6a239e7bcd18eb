package dev.jpull.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunRequestTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheLaunchersFields() {
        RunRequest r = RunRequest.parse(bytes("jpull-run-1\0" + "4242\0" + "2\0" + "--store\0" + "a b=c\0"
                + "HOME=/root\0" + "X==y\0" + "HOME=/second\0" + "junk\0"));

        assertThat(r.pid()).isEqualTo(4242);
        assertThat(r.args()).containsExactly("--store", "a b=c");
        assertThat(r.env()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("HOME", "/root", "X", "=y"));
    }

    @Test
    void anEmptyArgumentIsKept() {
        assertThat(RunRequest.parse(bytes("jpull-run-1\0" + "7\0" + "1\0" + "\0")).args()).containsExactly("");
    }

    @Test
    void refusesWhatIsNotARequest() {
        assertThatThrownBy(() -> RunRequest.parse(bytes("jpull-run-2\0" + "1\0" + "0\0")))
                .hasMessage("not a jpull-run-1 request");
        assertThatThrownBy(() -> RunRequest.parse(bytes("jpull-run-1\0" + "1\0" + "0")))
                .hasMessage("the last field is not NUL-terminated");
        assertThatThrownBy(() -> RunRequest.parse(bytes("jpull-run-1\0" + "-1\0" + "0\0")))
                .hasMessage("invalid process id");
        assertThatThrownBy(() -> RunRequest.parse(bytes("jpull-run-1\0" + "0\0" + "0\0")))
                .hasMessage("process id or argument count out of range");
        assertThatThrownBy(() -> RunRequest.parse(bytes("jpull-run-1\0" + "5\0" + "3\0" + "a\0")))
                .hasMessage("process id or argument count out of range");
        assertThatThrownBy(() -> RunRequest.parse(bytes("jpull-run-1\0" + "5\0" + "99999999999\0")))
                .hasMessage("invalid argument count");
    }
}
