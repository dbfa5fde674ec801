package io.tycostream.triggers.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;

import java.util.Set;

/**
 * Loads the service's OpenAPI document into vertx-openapi, which checks it against the OpenAPI 3.1 schema and then
 * validates requests and answers. vertx-openapi 5.0 refuses a contract with a response media type it cannot
 * validate (the {@code text/html} of the docs page), so those media types are left out of the copy it loads; and
 * it refuses a path segment where text follows a parameter ({@code /events/{event_id}:retry}, valid OpenAPI), so
 * such a path is loaded as {@code /events/{event_id}/:retry}. Operations are looked up by {@code operationId}, so
 * their parameters, bodies and answers stay exactly as served.
 */
public final class OpenApiContracts {

  private OpenApiContracts() {
  }

  /** The contract of {@code document} (not changed), without the response media types vertx-openapi refuses. */
  public static Future<OpenAPIContract> load(Vertx vertx, JsonObject document) {
    JsonObject copy = document.copy();
    JsonObject paths = copy.getJsonObject("paths");
    for (String path : Set.copyOf(paths.fieldNames())) {
      String loadable = path.replaceAll("}(?=[^/])", "}/");
      if (!loadable.equals(path)) {
        paths.put(loadable, paths.remove(path));
      }
    }
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        Object operation = paths.getJsonObject(path).getValue(method);
        if (operation instanceof JsonObject op && op.containsKey("responses")) {
          op.getJsonObject("responses").forEach(answer -> {
            if (answer.getValue() instanceof JsonObject response && response.containsKey("content")) {
              response.getJsonObject("content").fieldNames()
                  .removeIf(type -> !MediaType.isMediaTypeSupported(type));
            }
          });
        }
      }
    }
    return OpenAPIContract.from(vertx, copy);
  }
}
