package dev.modelgate.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class WrkResultTest {
    private static final String OUTPUT = """
            Running 3s test @ http://127.0.0.1:8080/baseline/invocations
              2 threads and 8 connections
            WRK_RESULT requests=30000 duration_us=3000000 p50_us=550 p99_us=1800 p999_us=4200 connect=0 read=0 write=0 status=0 timeout=0
            """;

    @Test
    void readsTheStatusCountsOfAScriptThatCountsThem() {
        WrkResult result = WrkResult.parse(OUTPUT + "WRK_STATUSES 503=12 200=29980 429=8\n");
        assertThat(result.statuses()).containsExactly(entry(200, 29980L), entry(429, 8L), entry(503, 12L));
        assertThat(WrkResult.parse(OUTPUT).statuses()).as("a script that does not count them").isEmpty();
    }

    @Test
    void readsTheLineItsDoneFunctionPrints() {
        WrkResult result = WrkResult.parse(OUTPUT);
        assertThat(result.requests()).isEqualTo(30000);
        assertThat(result.requestsPerSecond()).isEqualTo(10000.0);
        assertThat(result.p50Micros()).isEqualTo(550);
        assertThat(result.p99Micros()).isEqualTo(1800);
        assertThat(result.p999Micros()).isEqualTo(4200);
        assertThat(result.problems()).isEmpty();
    }

    @Test
    void anyAnswerOtherThan200OrASocketErrorDisqualifiesTheRun() {
        WrkResult refused = WrkResult.parse(OUTPUT.replace("status=0", "status=12").replace("read=0", "read=3"));
        assertThat(refused.problems()).containsExactly("12 responses with status >= 400",
                "socket errors: connect 0, read 3, write 0");
    }

    @Test
    void outputWithoutTheLineIsAnError() {
        assertThatThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .hasMessageContaining("no WRK_RESULT line");
    }
}
