package io.tycostream.triggers.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

import java.util.Objects;

/**
 * Puts the id of the admin request being handled ({@link RequestLogContext}) into the MDC as
 * {@value RequestLogContext#REQUEST_ID} just before a line is logged, and removes it on lines logged outside a
 * request, so an event-loop thread never carries one request's id into another's lines. Declared in
 * {@code logback.xml}; never filters anything out (always {@link FilterReply#NEUTRAL}). Thread-safe: it touches only
 * the calling thread's MDC.
 */
public final class RequestIdMdc extends TurboFilter {

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                            Throwable t) {
    if (level != null && !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL; // not logged: no need to look
    }
    String id = RequestLogContext.current();
    if (!Objects.equals(id, MDC.get(RequestLogContext.REQUEST_ID))) {
      if (id == null) {
        MDC.remove(RequestLogContext.REQUEST_ID);
      } else {
        MDC.put(RequestLogContext.REQUEST_ID, id);
      }
    }
    return FilterReply.NEUTRAL;
  }
}
