package io.tycostream.triggers.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The web console at {@value #ROOT}: static HTML, CSS and JavaScript from the jar ({@value #WEB_ROOT} on the class
 * path), no build step. The files hold no secret and need no key; the page asks for an API key and calls the API
 * ({@code /api/v1/...}) from the same origin with {@code Authorization: Bearer}, so the API's own authentication,
 * roles, {@code Host} check and CORS rules apply to everything the console shows or changes.
 * <p>
 * Every file is answered with a strict {@value #CONTENT_SECURITY_POLICY_HEADER} (scripts, styles and connections only
 * from this origin, no inline script or style, no framing, no forms posting elsewhere), {@code nosniff}, no referrer
 * and no caching, so an upgraded service never runs yesterday's script. Served by vertx-web's {@link StaticHandler}
 * (asynchronous file access, never blocking the admin event loop).
 */
final class ConsoleRoutes {

  /** Where the console is served; {@code /console} redirects here so relative links resolve. */
  static final String ROOT = "/console/";
  /** The routes the {@code Host} check guards, like the API's. */
  static final String PATHS = "/console*";
  /** The class-path folder holding the console's files. */
  static final String WEB_ROOT = "console";
  static final String CONTENT_SECURITY_POLICY_HEADER = "Content-Security-Policy";
  /** Same-origin scripts, styles, images and API calls only; nothing inline, nothing framed, no form targets. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  void mount(Router router) {
    // a regex: a plain "/console" route would also match "/console/" and redirect it to itself
    router.getWithRegex("/console").handler(ctx -> ctx.redirect(ROOT));
    router.get(ROOT + "*")
        .handler(ConsoleRoutes::secureHeaders)
        .handler(StaticHandler.create(WEB_ROOT)
            .setCachingEnabled(false)
            .setDirectoryListing(false)
            .setIndexPage("index.html")
            .setDefaultContentEncoding("UTF-8"));
  }

  private static void secureHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader(CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store");
    ctx.next();
  }
}
