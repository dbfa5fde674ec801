package io.tycostream.triggers.admin;

import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * Who makes an admin request: the name of the API key presented (recorded as the author of changes) and its role.
 *
 * @param name the key's name; {@value #UNAUTHENTICATED_NAME} when authentication is turned off
 * @param role what the key may do
 */
public record Actor(String name, ApiKeyRole role) {

  /** The actor of every request when {@code admin.auth_enabled} is false (loopback binds only). */
  public static final String UNAUTHENTICATED_NAME = "anonymous";
  /** The actor of triggers created from the configuration file. */
  public static final String CONFIG_NAME = "config";
  private static final String CONTEXT_KEY = Actor.class.getName();

  public Actor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }

  /** Records the actor on the request for the handlers after authentication. */
  void attachTo(RoutingContext ctx) {
    ctx.put(CONTEXT_KEY, this);
  }

  /** The actor authentication attached to {@code ctx}. */
  static Actor of(RoutingContext ctx) {
    Actor actor = ctx.get(CONTEXT_KEY);
    if (actor == null) {
      throw new IllegalStateException("no authenticated actor on " + ctx.request().path());
    }
    return actor;
  }
}
