package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.tycostream.triggers.store.TriggerFilter;
import io.tycostream.triggers.store.TriggerStatus;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * The filters of {@code GET /api/v1/triggers}: {@code source} (a source name) and {@code status}
 * ({@code awaiting_baseline} or {@code active}); a bad status is 400 naming it. Stateless.
 */
final class TriggerListFilter {

  private TriggerListFilter() {
  }

  static TriggerFilter of(RoutingContext ctx) {
    String status = QueryParameters.text(ctx, "status");
    return new TriggerFilter(QueryParameters.text(ctx, "source"), status == null ? null : status(status));
  }

  private static TriggerStatus status(String text) {
    try {
      return TriggerStatus.fromDbValue(text.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "status must be awaiting_baseline or active", "status");
    }
  }
}
