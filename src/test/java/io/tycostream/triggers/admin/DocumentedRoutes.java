package io.tycostream.triggers.admin;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Routes as {@code "METHOD /path"} with every path parameter written {@code {}}, so the routes a Vert.x
 * {@link Router} serves (paths with {@code :name}, or regular expressions with named groups such as
 * {@code (?<name>[^/]+)}) compare with the paths of an OpenAPI document ({@code {name}}). Only paths under
 * {@code /api/} and {@code /health/} count: other routes (the demo receiver, metrics, a console) are not part of the
 * admin API's contract. Stateless.
 */
final class DocumentedRoutes {

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  private DocumentedRoutes() {
  }

  /** Every method and path the router serves under {@code /api/} or {@code /health/}. */
  static Set<String> served(Router router) {
    Set<String> routes = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String name = route.getName();
      if (name == null || route.methods() == null || route.methods().isEmpty()) {
        continue; // a handler for every method (request ids, the Host check, authentication): not an operation
      }
      // a regular-expression route has no path, only its expression as its name
      String path = route.getPath() == null ? name.replaceAll("\\(\\?<[A-Za-z_]+>[^)]*\\)", "{}")
          : name.replaceAll(":[A-Za-z_]+", "{}");
      if (!inContract(path)) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        routes.add(method.name() + " " + path);
      }
    }
    return routes;
  }

  /** Every operation of the document's {@code paths}, under {@code /api/} or {@code /health/}. */
  static Set<String> documented(JsonObject document) {
    Set<String> routes = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      String normalized = path.replaceAll("\\{[A-Za-z_]+}", "{}");
      if (!inContract(normalized)) {
        continue;
      }
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(method)) {
          routes.add(method.toUpperCase(Locale.ROOT) + " " + normalized);
        }
      }
    }
    return routes;
  }

  private static boolean inContract(String path) {
    return path.startsWith("/api/") || path.startsWith("/health/");
  }
}
