package io.tycostream.triggers.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.tycostream.triggers.logging.JsonLinesEncoder;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Everything logged while attached to the root logger, written by the service's own {@link JsonLinesEncoder} exactly
 * as {@code logging.format: json} writes it to standard output. Thread-safe: the appender serialises writes.
 */
public final class CapturedJsonLines implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();

  private CapturedJsonLines() {
  }

  /** Starts capturing. */
  public static CapturedJsonLines attach() {
    CapturedJsonLines log = new CapturedJsonLines();
    LoggerContext context = log.root.getLoggerContext();
    JsonLinesEncoder encoder = new JsonLinesEncoder();
    encoder.setContext(context);
    encoder.start();
    log.appender.setContext(context);
    log.appender.setName("captured-json-lines");
    log.appender.setEncoder(encoder);
    log.appender.setOutputStream(log.bytes);
    log.appender.start();
    log.root.addAppender(log.appender);
    return log;
  }

  /** The raw output so far, every byte as written. */
  public String text() {
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** The output so far, one raw line per element. */
  public List<String> lines() {
    return Arrays.stream(text().split("\n")).filter(line -> !line.isBlank()).toList();
  }

  /** The output so far, each line parsed (fails on a line that is not one JSON object). */
  public List<JsonObject> objects() {
    return lines().stream().map(JsonObject::new).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
