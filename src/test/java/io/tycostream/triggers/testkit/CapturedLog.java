package io.tycostream.triggers.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything logged at INFO or above, by any logger (Vert.x and Netty included), while attached to the root logger.
 * Thread-safe: appends arrive on any thread, {@link #atLeast(Level)} copies under the appender's lock.
 */
public final class CapturedLog implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private CapturedLog() {
  }

  /** Starts capturing. */
  public static CapturedLog attach() {
    CapturedLog log = new CapturedLog();
    log.appender.start();
    log.root.addAppender(log.appender);
    return log;
  }

  /** The events at {@code level} or above so far, as {@code LEVEL logger - message} lines. */
  public List<String> atLeast(Level level) {
    List<String> lines = new ArrayList<>();
    synchronized (appender) {
      for (ILoggingEvent event : appender.list) {
        if (event.getLevel().isGreaterOrEqual(level)) {
          lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage());
        }
      }
    }
    return lines;
  }

  /** The events so far that carry a throwable (a stack trace in the log), as {@code LEVEL logger - message} lines. */
  public List<String> withStackTraces() {
    List<String> lines = new ArrayList<>();
    synchronized (appender) {
      for (ILoggingEvent event : appender.list) {
        if (event.getThrowableProxy() != null) {
          lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage() + " ["
              + event.getThrowableProxy().getClassName() + "]");
        }
      }
    }
    return lines;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
