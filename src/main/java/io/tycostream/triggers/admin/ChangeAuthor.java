package io.tycostream.triggers.admin;

import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * Who asks for a change, and in which admin request: what the audit log records with it ({@link AuditRecorder}).
 *
 * @param actor     the API key's name, {@value Actor#CONFIG_NAME} for the configuration file,
 *                  {@value Actor#UNAUTHENTICATED_NAME} when authentication is off
 * @param requestId the admin request ({@link RequestIds}), {@code null} for changes not made through the API
 */
public record ChangeAuthor(String actor, String requestId) {

  public ChangeAuthor {
    Objects.requireNonNull(actor, "actor");
  }

  /** The authenticated caller of {@code ctx} and the request's id. */
  public static ChangeAuthor of(RoutingContext ctx) {
    return new ChangeAuthor(Actor.of(ctx).name(), RequestIds.of(ctx));
  }

  /** The configuration file, at startup. */
  public static ChangeAuthor config() {
    return new ChangeAuthor(Actor.CONFIG_NAME, null);
  }
}
