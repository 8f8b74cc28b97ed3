package dev.modelgate.tomcat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonErrorReportValveTest {
    private static IllegalArgumentException thrownIn(String method) {
        IllegalArgumentException e = new IllegalArgumentException("Request header is too large");
        e.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("org.apache.coyote.http11.Http11InputBuffer", "fill", "Http11InputBuffer.java", 773),
                new StackTraceElement("org.apache.coyote.http11.Http11InputBuffer", method, "Http11InputBuffer.java", 445),
                new StackTraceElement("org.apache.coyote.http11.Http11Processor", "service", "Http11Processor.java", 281)});
        return e;
    }

    @Test
    void aRequestLineOverTheLimitIs414() {
        assertThat(JsonErrorReportValve.status(400, thrownIn("parseRequestLine"))).isEqualTo(414);
    }

    @Test
    void headersOverTheLimitAre431() {
        assertThat(JsonErrorReportValve.status(400, thrownIn("parseHeader"))).isEqualTo(431);
        assertThat(JsonErrorReportValve.status(400, thrownIn("parseHeaders"))).isEqualTo(431);
    }

    @Test
    void otherRefusalsKeepTomcatsStatus() {
        assertThat(JsonErrorReportValve.status(400, new IllegalArgumentException("duplicate Content-Length"))).isEqualTo(400);
        assertThat(JsonErrorReportValve.status(400, null)).isEqualTo(400);
        assertThat(JsonErrorReportValve.status(505, thrownIn("parseRequestLine"))).isEqualTo(505);
    }
}
