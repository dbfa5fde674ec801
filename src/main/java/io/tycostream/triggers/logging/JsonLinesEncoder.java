package io.tycostream.triggers.logging;

import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;

/**
 * The encoder of {@code logging.format: json}: one flat JSON object per line with {@value #TIMESTAMP} (ISO-8601, UTC),
 * {@value #LEVEL}, {@value #LOGGER}, {@value #THREAD}, {@value #MESSAGE} (the whole line, as the text format shows it),
 * the MDC (among it {@value RequestLogContext#REQUEST_ID} on an admin request's lines), SLF4J key-value pairs, each
 * item of the message's bracketed context as a field of its own ({@link BracketContextJsonProvider}), and
 * {@value #STACK_TRACE} when a throwable was logged. A {@link LogstashEncoder} (logstash-logback-encoder) with these
 * names, so it can also be named in a logback.xml of one's own.
 */
public class JsonLinesEncoder extends LogstashEncoder {

  static final String TIMESTAMP = "timestamp";
  static final String LEVEL = "level";
  static final String LOGGER = "logger";
  static final String THREAD = "thread";
  static final String MESSAGE = "message";
  static final String STACK_TRACE = "stack_trace";
  private static final String IGNORE = "[ignore]";

  public JsonLinesEncoder() {
    LogstashFieldNames names = getFieldNames();
    names.setTimestamp(TIMESTAMP);
    names.setLevel(LEVEL);
    names.setLogger(LOGGER);
    names.setThread(THREAD);
    names.setMessage(MESSAGE);
    names.setStackTrace(STACK_TRACE);
    names.setVersion(IGNORE);
    names.setLevelValue(IGNORE);
    setTimeZone("UTC");
    addProvider(new BracketContextJsonProvider());
  }
}
