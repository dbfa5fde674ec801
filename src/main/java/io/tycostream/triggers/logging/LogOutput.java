package io.tycostream.triggers.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.tycostream.triggers.config.LogFormat;
import io.tycostream.triggers.config.LoggingConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.format} and {@code logging.level} to the console output that {@code logback.xml} sets up:
 * {@code json} swaps the {@value #CONSOLE} appender's encoder for a {@link JsonLinesEncoder}. Called once, on the
 * main thread, before any verticle is deployed; a no-op when logback is not the SLF4J backend or the appender is
 * missing (a logback.xml of one's own then decides).
 */
public final class LogOutput {

  /** The appender name in {@code logback.xml}. */
  public static final String CONSOLE = "CONSOLE";

  private LogOutput() {
  }

  /** Sets the root level and, for {@link LogFormat#JSON}, switches the console to JSON lines. */
  public static void apply(LoggingConfig logging) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(logging.level(), Level.INFO));
    Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
    if (logging.format() == LogFormat.JSON && console instanceof OutputStreamAppender<ILoggingEvent> stream) {
      JsonLinesEncoder encoder = new JsonLinesEncoder();
      encoder.setContext(context);
      encoder.start();
      stream.stop();
      stream.setEncoder(encoder);
      stream.start();
    }
  }
}
