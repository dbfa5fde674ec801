package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads the query parameters of list requests; a bad value is a {@link ServiceException} {@code invalid_field}
 * naming the parameter (answered 400). Stateless.
 */
final class QueryParameters {

  private QueryParameters() {
  }

  /** A parameter's value, {@code null} when absent or blank. */
  static String text(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** The {@code limit} parameter: {@code defaultLimit} when absent, else an integer from 1 to {@code max}. */
  static int limit(RoutingContext ctx, int defaultLimit, int max) {
    String text = text(ctx, "limit");
    if (text == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ServiceException(ErrorCode.INVALID_FIELD, "limit must be an integer from 1 to " + max, "limit");
  }

  /** An ISO-8601 time such as {@code 2026-01-15T10:30:00Z}, {@code null} when absent. */
  static Instant instant(RoutingContext ctx, String name) {
    String text = text(ctx, name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, name + " must be an ISO-8601 UTC time such as "
          + "2026-01-15T10:30:00Z", name);
    }
  }
}
