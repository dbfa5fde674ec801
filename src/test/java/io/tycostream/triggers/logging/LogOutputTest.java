package io.tycostream.triggers.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.tycostream.triggers.config.LogFormat;
import io.tycostream.triggers.config.LoggingConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies what {@code app/Main} does with {@code logging.*}: the console of the jar's logback.xml switches to JSON
 * lines, and the root level follows. Restores the console's encoder, the level and standard output afterwards, as
 * other tests share the JVM.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogOutputTest {

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private OutputStreamAppender<ILoggingEvent> console;
  private Encoder<ILoggingEvent> encoderBefore;
  private Level levelBefore;
  private PrintStream stdoutBefore;

  @BeforeEach
  void captureStandardOutput() {
    console = (OutputStreamAppender<ILoggingEvent>) root.getAppender(LogOutput.CONSOLE);
    encoderBefore = console.getEncoder();
    levelBefore = root.getLevel();
    stdoutBefore = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(stdoutBefore);
    console.stop();
    console.setEncoder(encoderBefore);
    console.start();
    root.setLevel(levelBefore);
  }

  /** Verifies that {@code format: json} makes the console write one JSON object per line, context as fields. */
  @Test
  void jsonFormatSwitchesTheConsoleToJsonLines() {
    // GIVEN the console of logback.xml, WHEN logging.format is json
    LogOutput.apply(new LoggingConfig(LogFormat.JSON, "INFO"));
    LoggerFactory.getLogger("io.tycostream.triggers.app.Main").info("ready [admin: {}, sources: {}]", "0.0.0.0:8080",
        "[positions]");

    // THEN standard output has that line as JSON
    String line = stdout.toString(StandardCharsets.UTF_8).strip();
    assertThat(line).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("level")).isEqualTo("INFO");
    assertThat(json.getString("logger")).isEqualTo("io.tycostream.triggers.app.Main");
    assertThat(json.getString("message")).isEqualTo("ready [admin: 0.0.0.0:8080, sources: [positions]]");
    assertThat(json.getString("admin")).isEqualTo("0.0.0.0:8080");
    assertThat(json.getString("sources")).isEqualTo("[positions]");
  }

  /** Verifies that {@code format: text} keeps the readable lines and that the level is the root's. */
  @Test
  void textFormatKeepsReadableLinesAtTheConfiguredLevel() {
    // GIVEN logging at WARN in text
    LogOutput.apply(new LoggingConfig(LogFormat.TEXT, "WARN"));
    org.slf4j.Logger logger = LoggerFactory.getLogger("io.tycostream.triggers.app.Main");

    // WHEN an INFO and a WARN line are logged
    logger.info("not shown [level: info]");
    logger.warn("shown [level: warn]");

    // THEN only the WARN line is written, as text
    String output = stdout.toString(StandardCharsets.UTF_8);
    assertThat(output).doesNotContain("not shown").contains("WARN  Main - shown [level: warn]");
    assertThat(output.strip()).doesNotStartWith("{");
  }
}
