package io.tycostream.triggers.source.materialize;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Test fixture: records every log event of the JVM (the root logger) from {@link #start()} until {@link #close()},
 * so a test can assert what an operator would read in the log. Thread-safe for appends; read after the action.
 */
final class CapturedLogs implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  static CapturedLogs start() {
    CapturedLogs logs = new CapturedLogs();
    logs.appender.start();
    logs.root.addAppender(logs.appender);
    return logs;
  }

  /** Events at WARN or above, as "LEVEL logger: message". */
  List<String> warningsAndErrors() {
    synchronized (appender) { // AppenderBase appends under its own lock
      return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
