package io.tycostream.triggers.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * While open, what the in-process nodes of a scenario log at INFO (the service's lines and Hazelcast's) goes to a
 * file, and the console goes on showing only what it showed before (WARN and up, by default): a run that goes wrong
 * leaves what each node said (ownership, take-overs, gaps) without drowning the figures.
 */
final class ScenarioLogFile implements AutoCloseable {

  /** The file's lines name the thread (Hazelcast's carry their node's instance name); the console's keep the format of
   *  the service's logback.xml. */
  private static final String FILE_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";
  private static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
  /** The loggers sent to the file; the console goes on showing each from the level it had before. */
  private static final List<String> LOGGERS = List.of("io.tycostream", "com.hazelcast");

  private final LoggerContext context;
  private final FileAppender<ILoggingEvent> file;
  private final Map<Logger, Appender<ILoggingEvent>> consoles = new LinkedHashMap<>();
  private final Map<Logger, Level> levelsBefore = new LinkedHashMap<>();

  private ScenarioLogFile(LoggerContext context, FileAppender<ILoggingEvent> file) {
    this.context = context;
    this.file = file;
  }

  /** Sends the nodes' INFO lines to {@code file} (appended) until {@link #close()}; the console shows what it did. */
  static ScenarioLogFile open(Path path) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setContext(context);
    file.setFile(path.toString());
    file.setEncoder(encoder(context, FILE_PATTERN));
    file.start();
    ScenarioLogFile log = new ScenarioLogFile(context, file);
    LOGGERS.forEach(log::redirect);
    return log;
  }

  private void redirect(String name) {
    Logger logger = context.getLogger(name);
    Level consoleLevel = logger.getEffectiveLevel();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setEncoder(encoder(context, CONSOLE_PATTERN));
    ThresholdFilter threshold = new ThresholdFilter();
    threshold.setLevel(consoleLevel.toString());
    threshold.start();
    console.addFilter(threshold);
    console.start();
    levelsBefore.put(logger, logger.getLevel());
    consoles.put(logger, console);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
    logger.addAppender(file);
    logger.addAppender(console);
  }

  private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    return encoder;
  }

  /** Puts the loggers back as they were and closes the file. */
  @Override
  public void close() {
    consoles.forEach((logger, console) -> {
      logger.detachAppender(file);
      logger.detachAppender(console);
      logger.setAdditive(true);
      logger.setLevel(levelsBefore.get(logger));
      console.stop();
    });
    file.stop();
  }
}
