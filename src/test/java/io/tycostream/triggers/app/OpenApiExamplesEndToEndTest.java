package io.tycostream.triggers.app;

import io.tycostream.triggers.emulator.EmulatorColumn;
import io.tycostream.triggers.emulator.PgType;
import io.tycostream.triggers.testkit.OpenApiContracts;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tycostream.triggers.testkit.Blocking.await;
import static io.tycostream.triggers.testkit.Blocking.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Verifies the OpenAPI document against the running service (wire emulator, real receiver), as a client generated
 * from it would use the API: every operation is called with every documented example (request bodies and path
 * parameters; no other request example may exist in the document), each example first validates against its
 * documented schema and the whole request against its operation (vertx-openapi's request validator), the service
 * answers the documented success status, and the answer validates against the documented response schema.
 * <p>
 * Two substitutions, both of values the document cannot know: a webhook URL points at this test's receiver
 * (delivery needs a real endpoint), and {@code event_id} is an event the scenario produced (ids derive from
 * Materialize timestamps).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenApiExamplesEndToEndTest {

  /**
   * Every operation of the document, in an order in which each example can succeed: creations first, then reads
   * and changes, deletions last. An operation added to the document must be added here (the test fails otherwise).
   */
  private static final List<String> SCENARIO = List.of(
      "getOpenApiDocument", "getApiDocsPage", "getLiveness", "getReadiness", "getMetrics",
      "createTrigger", "dryRunTrigger", "listTriggers", "getTrigger", "updateTrigger", "replaceTriggerParams",
      "rotateTriggerSecret", "listTriggerMatches", "listTriggerEvents", "getTriggerEvent", "retryTriggerEvent",
      "retryTriggerEvents", "listEvents", "listEndpoints", "getCluster",
      "createApiKey", "listApiKeys", "deleteApiKey", "listAudit", "deleteTrigger");
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([A-Za-z_]+)}");
  private static final String EXAMPLE_TRIGGER = "/api/v1/triggers/risk_position_alert";

  @TempDir
  Path dataDir;

  private EmulatedService service;
  private WebClient client;
  private String eventId;

  @BeforeEach
  void setUp(Vertx vertx) {
    service = EmulatedService.start(vertx, dataDir, Map.of("positions", new EmulatorColumn[] {
        EmulatorColumn.of("account", PgType.TEXT), EmulatorColumn.of("net_position", PgType.INT8),
        EmulatorColumn.of("price", PgType.FLOAT8)}), EmulatorColumn.of("id", PgType.INT4));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    service.close();
  }

  /**
   * Verifies that every documented example request validates against its schema, succeeds against the running
   * service with the documented status, and is answered as the document describes.
   */
  @Test
  void everyDocumentedExampleSucceedsAndIsAnsweredAsDocumented(Vertx vertx) {
    // GIVEN the running service, an account above the examples' limit, and the document it serves without a key
    service.emulator.insert("positions", "ACC-1", 15_000L, 1.5);
    awaitTrue(() -> send(HttpMethod.GET, "/health/ready", null).statusCode() == 200, Duration.ofSeconds(30));
    HttpResponse<Buffer> served = await(client.get(port(), "127.0.0.1", "/api/v1/openapi.json").send());
    assertThat(served.statusCode()).isEqualTo(200);
    JsonObject document = served.bodyAsJsonObject();
    OpenAPIContract contract = await(OpenApiContracts.load(vertx, document));
    ResponseValidator answers = ResponseValidator.create(vertx, contract);
    RequestValidator requests = RequestValidator.create(vertx, contract);
    assertThat(contract.operations().stream().map(Operation::getOperationId).toList())
        .containsExactlyInAnyOrderElementsOf(SCENARIO);
    // AND every example of the document that describes a request is one this test sends: request body examples and
    // path parameter examples (the others describe answers)
    assertThat(unsentRequestExamples(document, new ArrayList<>(), new ArrayList<>()))
        .as("examples this test would not send").isEmpty();

    for (String operationId : SCENARIO) {
      prepare(operationId);
      Operation operation = contract.operation(operationId);
      JsonObject raw = rawOperation(document, operation);
      int success = raw.getJsonObject("responses").fieldNames().stream().filter(status -> status.startsWith("2"))
          .mapToInt(Integer::parseInt).min().orElseThrow();
      Map<String, String> pathValues = pathValues(contract, operation);
      String path = pathOf(operation, pathValues);
      for (Map.Entry<String, Object> example : examples(raw).entrySet()) {
        String what = operationId + " example " + example.getKey();
        // WHEN the example is checked against its schema, the request carrying it is validated as a whole against
        // the operation (path parameters, headers, body), and it is sent
        if (example.getValue() != null) {
          JsonSchema schema = operation.getRequestBody().getContent().get("application/json").getSchema();
          assertValid(contract.getSchemaRepository().validator(schema).validate(example.getValue()), what);
        }
        Object body = withReceiver(example.getValue());
        validateRequest(requests, operationId, pathValues, body, what);
        HttpResponse<Buffer> response = send(operation.getHttpMethod(), path, body);

        // THEN it succeeds with the documented status and the answer has the documented shape
        assertThat(response.statusCode()).as(what + ": " + response.bodyAsString()).isEqualTo(success);
        validateAnswer(answers, operationId, response, what);
      }
    }
    // AND the examples did what they say: the deleted trigger is gone, the other one stays
    assertThat(send(HttpMethod.GET, EXAMPLE_TRIGGER, null).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> kept = send(HttpMethod.GET, "/api/v1/triggers/exposure_watch", null);
    assertThat(kept.statusCode()).isEqualTo(200);

    // AND refusals are answered in the documented error shape: a stale If-Match, a missing key
    String etag = kept.getHeader("etag");
    assertThat(etag).isEqualTo("\"" + kept.bodyAsJsonObject().getLong("version") + "\"");
    HttpResponse<Buffer> stale = await(client.patch(port(), "127.0.0.1", "/api/v1/triggers/exposure_watch")
        .putHeader("authorization", TestApiKeys.AUTHORIZATION).putHeader("content-type", "application/json")
        .putHeader("if-match", "\"0\"").sendBuffer(Buffer.buffer("{\"description\": \"late\"}")));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("precondition_failed");
    validateAnswer(answers, "updateTrigger", stale, "updateTrigger with a stale If-Match");
    HttpResponse<Buffer> anonymous = await(client.get(port(), "127.0.0.1", "/api/v1/triggers").send());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    validateAnswer(answers, "listTriggers", anonymous, "listTriggers without a key");
  }

  /**
   * Waits for what an operation's example needs: the example trigger's baseline FIRE delivered before its examples
   * pause it and raise its limit (else the FIRE may never happen), and an event to read and replay.
   */
  private void prepare(String operationId) {
    if (operationId.equals("updateTrigger")) {
      awaitTrue(() -> send(HttpMethod.GET, EXAMPLE_TRIGGER, null).bodyAsJsonObject().getLong("delivered_total") >= 1,
          Duration.ofSeconds(30));
    }
    if (operationId.equals("listTriggerEvents")) {
      JsonArray delivered = send(HttpMethod.GET, EXAMPLE_TRIGGER + "/events?status=delivered", null)
          .bodyAsJsonObject().getJsonArray("events");
      eventId = delivered.getJsonObject(0).getString("event_id");
    }
  }

  /** Each path parameter's documented example (and this run's event id), validated against its schema. */
  private Map<String, String> pathValues(OpenAPIContract contract, Operation operation) {
    Map<String, String> values = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      if (!parameter.getIn().name().equals("PATH")) {
        continue;
      }
      Object example = parameter.getSchema() == null ? null : exampleOf(parameter);
      assertThat(example).as(operation.getOperationId() + " parameter " + parameter.getName()).isNotNull();
      assertValid(contract.getSchemaRepository().validator(parameter.getSchema()).validate(example),
          operation.getOperationId() + " parameter " + parameter.getName());
      values.put(parameter.getName(), parameter.getName().equals("event_id") ? eventId : example.toString());
    }
    return values;
  }

  /** The request path with the parameters' values. */
  private static String pathOf(Operation operation, Map<String, String> values) {
    Matcher matcher = PATH_PARAMETER.matcher(operation.getOpenAPIPath().replace("}/:", "}:"));
    StringBuilder path = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(path, Matcher.quoteReplacement(values.get(matcher.group(1))));
    }
    matcher.appendTail(path);
    return path.toString();
  }

  /**
   * Validates the request as sent — path parameters as they appear in the path, the headers, the JSON body — against
   * the operation with vertx-openapi's request validator.
   */
  private static void validateRequest(RequestValidator requests, String operationId, Map<String, String> pathValues,
                                      Object body, String what) {
    Map<String, RequestParameter> path = new HashMap<>();
    pathValues.forEach((name, value) -> path.put(name, new RequestParameterImpl(value)));
    Map<String, RequestParameter> headers = new HashMap<>();
    headers.put("authorization", new RequestParameterImpl(TestApiKeys.AUTHORIZATION));
    ValidatableRequest request;
    if (body == null) {
      request = new ValidatableRequestImpl(Map.of(), headers, path, Map.of(), new RequestParameterImpl(null), null);
    } else {
      headers.put("content-type", new RequestParameterImpl("application/json"));
      request = new ValidatableRequestImpl(Map.of(), headers, path, Map.of(),
          new RequestParameterImpl(((JsonObject) body).toBuffer()), "application/json");
    }
    try {
      await(requests.validate(request, operationId));
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(what + ": the request does not match the document: " + e.getMessage(), e);
    }
  }

  /**
   * The places ({@code /}-joined keys) of {@code example}/{@code examples} in the document that describe a request
   * but are not sent by this test: anything but request body examples of {@code application/json} and path
   * parameter examples, outside answers ({@code responses}, {@code components/headers}).
   */
  private static List<String> unsentRequestExamples(Object node, List<String> at, List<String> unsent) {
    if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        at.add(Integer.toString(i));
        unsentRequestExamples(array.getValue(i), at, unsent);
        at.remove(at.size() - 1);
      }
    }
    if (!(node instanceof JsonObject object)) {
      return unsent;
    }
    for (String key : object.fieldNames()) {
      at.add(key);
      boolean answer = at.contains("responses") || (at.size() > 1 && at.get(0).equals("components")
          && at.get(1).equals("headers"));
      boolean sentBody = key.equals("examples") && at.size() == 7 && at.get(0).equals("paths")
          && at.get(3).equals("requestBody") && at.get(4).equals("content") && at.get(5).equals("application/json");
      boolean sentPathParameter = key.equals("example") && "path".equals(object.getString("in"));
      if ((key.equals("example") || key.equals("examples")) && !answer && !sentBody && !sentPathParameter) {
        unsent.add(String.join("/", at));
      }
      unsentRequestExamples(object.getValue(key), at, unsent);
      at.remove(at.size() - 1);
    }
    return unsent;
  }

  private static Object exampleOf(Parameter parameter) {
    return parameter.getOpenAPIModel().getValue("example");
  }

  /** The operation as served (the loaded contract's copy carries the loader's annotations). */
  private static JsonObject rawOperation(JsonObject document, Operation operation) {
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (paths.getJsonObject(path).getValue(method) instanceof JsonObject candidate
            && operation.getOperationId().equals(candidate.getString("operationId"))) {
          return candidate;
        }
      }
    }
    return fail("operation " + operation.getOperationId() + " is not in the served document");
  }

  /** The request body examples by name, or one request without a body when the operation documents none. */
  private static Map<String, Object> examples(JsonObject operation) {
    Map<String, Object> examples = new TreeMap<>();
    JsonObject body = operation.getJsonObject("requestBody");
    if (body != null) {
      JsonObject documented = body.getJsonObject("content").getJsonObject("application/json")
          .getJsonObject("examples", new JsonObject());
      documented.forEach(entry -> examples.put(entry.getKey(), ((JsonObject) entry.getValue()).getValue("value")));
      assertThat(examples).as(operation.getString("operationId") + " documents a request body example").isNotEmpty();
      if (body.getBoolean("required", false)) {
        return examples;
      }
    }
    if (examples.isEmpty()) {
      examples.put("(no body)", null);
    }
    return examples;
  }

  /** The example with its webhook URL pointing at this test's receiver. */
  private Object withReceiver(Object example) {
    if (example instanceof JsonObject body && body.getValue("webhook") instanceof JsonObject webhook) {
      JsonObject copy = body.copy();
      copy.getJsonObject("webhook").put("url", service.receiver.url(java.net.URI.create(webhook.getString("url")).getPath()));
      return copy;
    }
    return example;
  }

  private void validateAnswer(ResponseValidator answers, String operationId, HttpResponse<Buffer> response,
                              String what) {
    String contentType = response.getHeader("content-type");
    String mediaType = contentType == null ? null : contentType.split(";")[0].strip();
    if (mediaType != null && (!MediaType.isMediaTypeSupported(mediaType) || mediaType.equals("text/plain"))) {
      // the docs page (text/html) and /metrics (text/plain, the Prometheus format): bodies vertx-openapi does not
      // validate as answers (OpenApiContracts); their status is checked above
      return;
    }
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
    ValidatableResponse answer = response.body() == null || response.body().length() == 0
        ? ValidatableResponse.create(response.statusCode(), headers)
        : ValidatableResponse.create(response.statusCode(), headers, response.body(), "application/json");
    try {
      await(answers.validate(answer, operationId));
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(what + ": the answer does not match the document: " + e.getMessage() + "\n"
          + response.bodyAsString(), e);
    }
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, Object body) {
    HttpRequest<Buffer> request = client.request(method, port(), "127.0.0.1", path).timeout(30_000)
        .putHeader("authorization", TestApiKeys.AUTHORIZATION);
    if (body == null) {
      return await(request.send());
    }
    return await(request.putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(((JsonObject) body).encode())));
  }

  private int port() {
    return service.application.adminPort();
  }

  private static void assertValid(OutputUnit result, String what) {
    assertThat(result.getValid()).as(what + " validates against its schema: " + result.getErrors()).isTrue();
  }
}
