package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.TriggerFilter;
import io.tycostream.triggers.store.TriggerStatus;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * The filters of {@code GET /api/v1/triggers}: {@code source} (a source name), {@code status}
 * ({@code awaiting_baseline}, {@code active}, {@code disabled}, {@code expired} (see {@link TriggerExpiryStatus}) or
 * {@code failing} (see {@link TriggerFailingStatus})), {@code enabled} ({@code true}/{@code false}) and
 * {@code label} ({@code key=value} of the trigger's {@code metadata}); a bad value is 400 naming the parameter.
 * Stateless.
 */
final class TriggerListFilter {

  static final String DISABLED = "disabled";

  private TriggerListFilter() {
  }

  static TriggerFilter of(RoutingContext ctx) {
    String statusText = QueryParameters.text(ctx, "status");
    Boolean enabled = enabled(QueryParameters.text(ctx, "enabled"));
    TriggerStatus status = null;
    if (statusText != null) {
      if (statusText.toLowerCase(Locale.ROOT).equals(DISABLED)) {
        if (Boolean.TRUE.equals(enabled)) {
          throw new ServiceException(ErrorCode.INVALID_FIELD, "status=disabled contradicts enabled=true", "status");
        }
        enabled = false;
      } else if (statusText.toLowerCase(Locale.ROOT).equals(TriggerExpiryStatus.EXPIRED)) {
        // the page read is filtered by TriggerExpiryStatus: only enabled triggers expire
        if (Boolean.FALSE.equals(enabled)) {
          throw new ServiceException(ErrorCode.INVALID_FIELD, "status=expired contradicts enabled=false", "status");
        }
        enabled = true;
      } else if (statusText.toLowerCase(Locale.ROOT).equals(TriggerFailingStatus.FAILING)) {
        // an active trigger whose circuit is open: the page read is filtered by TriggerFailingStatus
        if (Boolean.FALSE.equals(enabled)) {
          throw new ServiceException(ErrorCode.INVALID_FIELD, "status=failing contradicts enabled=false", "status");
        }
        enabled = true;
        status = TriggerStatus.ACTIVE;
      } else {
        status = status(statusText);
      }
    }
    String label = QueryParameters.text(ctx, "label");
    String key = null;
    String value = null;
    if (label != null) {
      int equals = label.indexOf('=');
      key = equals < 0 ? label : label.substring(0, equals);
      if (equals < 0 || !TriggerDefinitionParser.METADATA_KEY.matcher(key).matches()) {
        throw new ServiceException(ErrorCode.INVALID_FIELD, "label must be key=value with a metadata key of a-z, "
            + "0-9, '_', '.', '-' (at most 64)", "label");
      }
      value = label.substring(equals + 1);
    }
    return new TriggerFilter(QueryParameters.text(ctx, "source"), status, enabled, key, value);
  }

  private static Boolean enabled(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ServiceException(ErrorCode.INVALID_FIELD, "enabled must be true or false", "enabled");
    };
  }

  private static TriggerStatus status(String text) {
    try {
      return TriggerStatus.fromDbValue(text.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "status must be awaiting_baseline, active, disabled, "
          + "expired or failing", "status");
    }
  }
}
