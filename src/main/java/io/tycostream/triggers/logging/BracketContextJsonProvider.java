package io.tycostream.triggers.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import net.logstash.logback.composite.AbstractJsonProvider;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Writes the {@link BracketContext} of each event's message as top-level fields of its JSON line. A key that would
 * collide with a field the line already has ({@link #RESERVED}) is written as {@code context_<key>}. Stateless.
 */
public final class BracketContextJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

  /** The names {@link JsonLinesEncoder} uses for its own fields. */
  static final Set<String> RESERVED = Set.of(JsonLinesEncoder.TIMESTAMP, JsonLinesEncoder.LEVEL,
      JsonLinesEncoder.LOGGER, JsonLinesEncoder.THREAD, JsonLinesEncoder.MESSAGE, JsonLinesEncoder.STACK_TRACE,
      RequestLogContext.REQUEST_ID);

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    for (Map.Entry<String, String> field : BracketContext.fields(event.getFormattedMessage()).entrySet()) {
      String name = RESERVED.contains(field.getKey()) ? "context_" + field.getKey() : field.getKey();
      generator.writeStringField(name, field.getValue());
    }
  }
}
