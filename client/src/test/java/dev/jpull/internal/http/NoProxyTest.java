package dev.jpull.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoProxyTest {

    @ParameterizedTest(name = "NO_PROXY=''{0}'' {1}:{2} -> direct={3}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL                    | reg.example.com     | 443  | false
            ''                      | reg.example.com     | 443  | false
            *                       | reg.example.com     | 443  | true
            *                       | 10.1.2.3            | 5000 | true
            ' foo.com , *'          | bar.org             | 80   | true
            example.com             | example.com         | 443  | true
            example.com             | reg.example.com     | 443  | true
            example.com             | a.b.example.com     | 443  | true
            example.com             | notexample.com      | 443  | false
            example.com             | example.com.evil.io | 443  | false
            .example.com            | reg.example.com     | 443  | true
            .example.com            | example.com         | 443  | false
            *.example.com           | reg.example.com     | 443  | true
            *.example.com           | example.com         | 443  | false
            EXAMPLE.COM             | Reg.Example.Com     | 443  | true
            example.com:5000        | reg.example.com     | 5000 | true
            example.com:5000        | reg.example.com     | 443  | false
            example.com:5000        | example.com         | 5000 | true
            10.0.0.0/8              | 10.200.3.4          | 443  | true
            10.0.0.0/8              | 11.0.0.1            | 443  | false
            10.0.0.0/8              | ten.example.com     | 443  | false
            192.168.1.0/24          | 192.168.1.77        | 80   | true
            192.168.1.0/24          | 192.168.2.77        | 80   | false
            10.1.2.3                | 10.1.2.3            | 5000 | true
            10.1.2.3                | 10.1.2.4            | 5000 | false
            10.1.2.3:5000           | 10.1.2.3            | 5000 | true
            10.1.2.3:5000           | 10.1.2.3            | 5001 | false
            fd00::/8                | fd00::1             | 443  | true
            fd00::/8                | [fd00::1]           | 443  | true
            fd00::/8                | fe80::1             | 443  | false
            [2001:db8::1]:5000      | 2001:db8::1         | 5000 | true
            [2001:db8::1]:5000      | 2001:db8::1         | 443  | false
            2001:db8::1             | [2001:db8::1]       | 443  | true
            NULL                    | localhost           | 5000 | true
            NULL                    | LOCALHOST           | 5000 | true
            NULL                    | 127.0.0.1           | 5000 | true
            NULL                    | 127.3.4.5           | 443  | true
            NULL                    | ::1                 | 443  | true
            NULL                    | [::1]               | 5000 | true
            NULL                    | foo.localhost       | 443  | false
            NULL                    | 128.0.0.1           | 443  | false
            ':5000, , /8, 300.1.1.1/8' | reg.example.com  | 5000 | false
            """)
    void goSemantics(String noProxy, String host, int port, boolean direct) {
        assertThat(NoProxy.parse(noProxy).direct(host, port, false)).isEqualTo(direct);
    }

    @ParameterizedTest(name = "proxyLoopback: NO_PROXY=''{0}'' {1} -> direct={2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL          | localhost   | false
            NULL          | 127.0.0.1   | false
            NULL          | ::1         | false
            127.0.0.0/8   | 127.0.0.1   | true
            localhost     | localhost   | true
            *             | 127.0.0.1   | true
            """)
    void loopbackEscapeHatchStillHonoursNoProxy(String noProxy, String host, boolean direct) {
        assertThat(NoProxy.parse(noProxy).direct(host, 5000, true)).isEqualTo(direct);
    }
}
