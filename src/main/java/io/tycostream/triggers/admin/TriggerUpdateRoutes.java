package io.tycostream.triggers.admin;

import io.tycostream.triggers.error.ErrorCode;
import io.tycostream.triggers.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code PATCH /api/v1/triggers/{name}}: changes a trigger without losing its state ({@link TriggerPatch} says
 * what may change, {@link TriggerRegistration#update} how), including {@code {"enabled": false}} and
 * {@code {"enabled": true}} — the one way to disable and enable a trigger. Optimistic concurrency: the answer and
 * {@code GET} carry {@code ETag: "<version>"}; a request with {@code If-Match} naming an older version is answered
 * 412 {@code precondition_failed}.
 */
final class TriggerUpdateRoutes {

  private final TriggerRegistration registration;

  TriggerUpdateRoutes(TriggerRegistration registration) {
    this.registration = Objects.requireNonNull(registration, "registration");
  }

  void mount(Router router) {
    router.patch(TriggerRoutes.TRIGGER).handler(BodyHandler.create(false).setBodyLimit(TriggerRoutes.MAX_BODY_BYTES))
        .handler(this::update);
  }

  private void update(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("content-type");
    if (!TriggerRoutes.isJson(contentType) && !isMergePatch(contentType)) {
      TriggerRoutes.fail(ctx, new ServiceException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "the body must be the fields to change, sent as Content-Type: application/json (or "
              + "application/merge-patch+json)"));
      return;
    }
    Long expected;
    try {
      expected = expectedVersion(ctx.request().getHeader("if-match"));
    } catch (ServiceException e) {
      TriggerRoutes.fail(ctx, e);
      return;
    }
    String body = ctx.body().buffer() == null ? "" : ctx.body().buffer().toString(StandardCharsets.UTF_8);
    Future.succeededFuture(body)
        .compose(patch -> registration.update(ctx.pathParam("name"), patch, expected, ChangeAuthor.of(ctx)))
        .onSuccess(stored -> {
          ctx.response().putHeader("etag", TriggerJson.etag(stored));
          TriggerRoutes.ok(ctx, TriggerJson.trigger(stored));
        })
        .onFailure(failure -> TriggerRoutes.fail(ctx, failure));
  }

  /**
   * The version an {@code If-Match} header names ({@code "3"}, {@code W/"3"} or {@code 3}); {@code null} for none or
   * {@code *}.
   */
  static Long expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
      return null;
    }
    String tag = ifMatch.strip();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    try {
      return Long.parseLong(tag);
    } catch (NumberFormatException e) {
      throw new ServiceException(ErrorCode.INVALID_FIELD, "If-Match must be the ETag of the trigger, such as \"3\"",
          "If-Match");
    }
  }

  private static boolean isMergePatch(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT)
        .equals("application/merge-patch+json");
  }
}
