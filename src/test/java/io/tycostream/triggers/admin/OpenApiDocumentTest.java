package io.tycostream.triggers.admin;

import io.tycostream.triggers.definition.TriggerDefinitionParser;
import io.tycostream.triggers.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.tycostream.triggers.testkit.OpenApiContracts;
import io.vertx.openapi.contract.Operation;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that the OpenAPI document served at {@value OpenApiRoutes#DOCUMENT_PATH} stays true to the running admin
 * router: every route under {@code /api/} and {@code /health/} is documented and every documented operation is
 * served, each with the role authentication enforces; every error code is listed; the definition schema refuses
 * unknown fields as the API does. The document and its page are read without an API key.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenApiDocumentTest {

  @TempDir
  Path dataDir;

  private AdminApiFixture api;
  private WebClient anonymous;

  @BeforeEach
  void start(Vertx vertx) {
    api = AdminApiFixture.start(vertx, dataDir, false, false);
    anonymous = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    anonymous.close();
    api.close();
  }

  /** Verifies that the routes the router serves and the operations the document lists are the same set. */
  @Test
  void documentsEveryRouteTheRouterServes() {
    // GIVEN the running admin API and the document it serves
    JsonObject document = servedDocument();

    // WHEN the router's routes and the document's operations are listed
    Set<String> served = DocumentedRoutes.served(api.admin.router());
    Set<String> documented = DocumentedRoutes.documented(document);

    // THEN neither has one the other lacks
    assertThat(difference(served, documented)).as("served but not documented").isEmpty();
    assertThat(difference(documented, served)).as("documented but not served").isEmpty();
    assertThat(served).contains("PUT /api/v1/triggers/{}/params", "POST /api/v1/triggers/{}/secret:rotate",
        "POST /api/v1/triggers:test", "POST /api/v1/triggers/{}/events/{}:retry", "GET /health/ready");
  }

  /** Verifies that the coverage check notices a route added without documentation, and a path with no route. */
  @Test
  void aRouteAddedWithoutDocumentationIsNoticed() {
    // GIVEN the served document
    JsonObject document = servedDocument();

    // WHEN routes are added to the running router that the document does not describe
    api.admin.router().get("/api/v1/undocumented").handler(ctx -> ctx.end());
    api.admin.router().postWithRegex("/api/v1/triggers/(?<name>[^/]+):frobnicate").handler(ctx -> ctx.end());
    api.admin.router().get("/health/startup").handler(ctx -> ctx.end());
    // AND the document describes a path nothing serves
    document.getJsonObject("paths").put("/api/v1/ghosts/{id}", new JsonObject().put("get", new JsonObject()));

    // THEN each is reported
    Set<String> served = DocumentedRoutes.served(api.admin.router());
    Set<String> documented = DocumentedRoutes.documented(document);
    assertThat(difference(served, documented)).containsExactly("GET /api/v1/undocumented", "GET /health/startup",
        "POST /api/v1/triggers/{}:frobnicate");
    assertThat(difference(documented, served)).containsExactly("GET /api/v1/ghosts/{}");
  }

  /**
   * Verifies that each operation's {@code x-required-role} is the role authentication enforces for it, and that the
   * operations documented without security are the public ones.
   */
  @Test
  void documentsTheRoleEachOperationNeeds() {
    JsonObject paths = servedDocument().getJsonObject("paths");
    Set<String> open = new TreeSet<>();
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (method.equals("parameters")) {
          continue;
        }
        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
        JsonArray security = operation.getJsonArray("security");
        if (security != null && security.isEmpty()) {
          open.add(path);
          assertThat(operation.containsKey("x-required-role")).as(path).isFalse();
          continue;
        }
        String concrete = path.replaceAll("\\{[a-z_]+}", "sample");
        assertThat(operation.getString("x-required-role")).as(method + " " + path)
            .isEqualTo(ApiAuthHandler.requiredRole(HttpMethod.valueOf(method.toUpperCase()), concrete).wireName());
      }
    }
    assertThat(open).containsExactlyInAnyOrder(OpenApiRoutes.DOCUMENT_PATH, OpenApiRoutes.PAGE_PATH,
        AdminVerticle.LIVE_PATH, AdminVerticle.READY_PATH);
  }

  /** Verifies that the error schema lists exactly the codes of the service's error family. */
  @Test
  void documentsEveryErrorCode() {
    JsonArray codes = servedDocument().getJsonObject("components").getJsonObject("schemas").getJsonObject("Error")
        .getJsonObject("properties").getJsonObject("error").getJsonObject("properties").getJsonObject("code")
        .getJsonArray("enum");
    assertThat(codes.getList()).containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values())
        .map(ErrorCode::code).collect(Collectors.toList()));
  }

  /**
   * Verifies that the definition schema documents exactly the fields the parser accepts (top level and
   * {@code webhook}), and the patch schema exactly the fields a patch accepts.
   */
  @Test
  void documentsEveryFieldTheParsersAccept() {
    JsonObject schemas = servedDocument().getJsonObject("components").getJsonObject("schemas");
    JsonObject definition = schemas.getJsonObject("TriggerFields").getJsonObject("properties");
    assertThat(definition.fieldNames()).containsExactlyInAnyOrderElementsOf(TriggerDefinitionParser.TOP_FIELDS);
    assertThat(definition.getJsonObject("webhook").getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrderElementsOf(TriggerDefinitionParser.WEBHOOK_FIELDS);
    assertThat(schemas.getJsonObject("TriggerPatch").getJsonObject("properties").fieldNames())
        .containsExactlyInAnyOrderElementsOf(TriggerPatch.FIELDS);
  }

  /** Verifies that the page is served without a key, from the jar, and reads the document beside it. */
  @Test
  void servesThePageWithoutAKey() {
    HttpResponse<Buffer> page = await(anonymous.get(api.admin.actualPort(), "127.0.0.1", OpenApiRoutes.PAGE_PATH)
        .send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
    assertThat(page.bodyAsString()).contains("fetch('openapi.json')").doesNotContain("https://", "http://");
  }

  /**
   * Verifies that the document is a valid OpenAPI 3.1 contract for vertx-openapi and that its definition schema
   * accepts the documented example and refuses an unknown field, as the API does.
   */
  @Test
  void theDefinitionSchemaRefusesUnknownFields(Vertx vertx) {
    JsonObject document = servedDocument();
    OpenAPIContract contract = await(OpenApiContracts.load(vertx, document));
    Operation create = contract.operation("createTrigger");
    // from the served document: the contract's own copy carries the loader's annotations
    JsonObject example = document.getJsonObject("paths").getJsonObject("/api/v1/triggers")
        .getJsonObject("post").getJsonObject("requestBody").getJsonObject("content")
        .getJsonObject("application/json").getJsonObject("examples").getJsonObject("threshold")
        .getJsonObject("value");
    var validator = contract.getSchemaRepository()
        .validator(create.getRequestBody().getContent().get("application/json").getSchema());

    OutputUnit documented = validator.validate(example);
    OutputUnit unknown = validator.validate(example.copy().put("colour", "red"));
    OutputUnit both = validator.validate(example.copy().put("ttl", "1h").put("expires_at", "2099-01-01T00:00:00Z"));

    assertThat(documented.getValid()).as(String.valueOf(documented.getErrors())).isTrue();
    assertThat(unknown.getValid()).isFalse();
    assertThat(both.getValid()).isFalse();
  }

  private JsonObject servedDocument() {
    HttpResponse<Buffer> answer = await(anonymous.get(api.admin.actualPort(), "127.0.0.1",
        OpenApiRoutes.DOCUMENT_PATH).send());
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    assertThat(answer.getHeader("content-type")).startsWith("application/json");
    return answer.bodyAsJsonObject();
  }

  private static Set<String> difference(Set<String> left, Set<String> right) {
    Set<String> result = new TreeSet<>(left);
    result.removeAll(right);
    return result;
  }
}
