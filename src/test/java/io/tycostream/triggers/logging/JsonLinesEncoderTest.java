package io.tycostream.triggers.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies the shape of one JSON line: the standard fields, the context as fields, the MDC's request id. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonLinesEncoderTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  /** Verifies that a line is one JSON object with timestamp, level, logger, thread, message and context fields. */
  @Test
  void writesOneFlatObjectPerLine() {
    // GIVEN an event as our code logs it, on an admin request
    LoggingEvent event = event(Level.WARN, "delivery attempt failed [trigger: {}, event: {}, status: {}, level: {}]",
        "big_orders", "9c1f", 503, "high");
    event.setMDCPropertyMap(Map.of(RequestLogContext.REQUEST_ID, "req-42"));

    // WHEN it is encoded
    String line = encode(event);

    // THEN it is one line of JSON with the standard fields, each context item, and the request id
    assertThat(line).endsWith("\n").doesNotContain("\n\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3,9}Z");
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("logger")).isEqualTo("io.tycostream.triggers.delivery.DeliveryVerticle");
    assertThat(json.getString("thread")).isEqualTo("vert.x-eventloop-thread-1");
    assertThat(json.getString("message"))
        .isEqualTo("delivery attempt failed [trigger: big_orders, event: 9c1f, status: 503, level: high]");
    assertThat(json.getString("trigger")).isEqualTo("big_orders");
    assertThat(json.getString("event")).isEqualTo("9c1f");
    assertThat(json.getString("status")).isEqualTo("503");
    // a context key that collides with a standard field is kept under another name
    assertThat(json.getString("context_level")).isEqualTo("high");
    assertThat(json.getString("request_id")).isEqualTo("req-42");
    assertThat(json.fieldNames()).doesNotContain("@version", "level_value", "@timestamp");
  }

  /** Verifies that a logged throwable is one escaped field, so the line stays one line. */
  @Test
  void keepsAStackTraceOnTheLine() {
    LoggingEvent event = event(Level.ERROR, "store write failed [table: {}]", "events");
    event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("boom")));

    String line = encode(event);

    assertThat(line.strip()).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("stack_trace")).contains("IllegalStateException: boom");
    assertThat(json.getString("table")).isEqualTo("events");
  }

  private LoggingEvent event(Level level, String format, Object... arguments) {
    Logger logger = context.getLogger("io.tycostream.triggers.delivery.DeliveryVerticle");
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, format, null, arguments);
    event.setThreadName("vert.x-eventloop-thread-1");
    return event;
  }

  private String encode(LoggingEvent event) {
    JsonLinesEncoder encoder = new JsonLinesEncoder();
    encoder.setContext(context);
    encoder.start();
    try {
      return new String(encoder.encode(event), StandardCharsets.UTF_8);
    } finally {
      encoder.stop();
    }
  }
}
