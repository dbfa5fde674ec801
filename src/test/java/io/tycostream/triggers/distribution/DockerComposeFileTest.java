package io.tycostream.triggers.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tycostream.triggers.config.ConfigLoader;
import io.tycostream.triggers.config.SourceConfig;
import io.tycostream.triggers.config.StoreType;
import io.tycostream.triggers.config.TriggersConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies {@code docker-compose.yml} without a Docker engine: it validates against the Compose Specification's JSON
 * schema (vendored in {@code src/test/resources/compose-spec}), and it hangs together: images pinned, every
 * dependency, volume and mounted seed file present, the service's healthcheck on {@code /health/ready}, and
 * {@code conf/compose.yaml} a valid configuration whose hosts are the compose services. What it cannot check (images
 * pulling, containers starting, Materialize accepting the seed SQL) is listed in docs/docker-compose.md.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DockerComposeFileTest {

  private static final Path COMPOSE_FILE = Path.of("docker-compose.yml");
  private static final Path SERVICE_CONFIG = Path.of("conf", "compose.yaml");
  private static final Path DEMO_TRIGGER_SCRIPT = Path.of("conf", "compose-seed", "demo-trigger.sh");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(:?[-?][^}]*)?}");
  private static final Set<String> DOCUMENTED_VARIABLES = Set.of("TYCOSTREAM_ADMIN_KEY", "TYCOSTREAM_PG_PASSWORD",
      "TYCOSTREAM_LOGGING_FORMAT");

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

  /** Verifies that the file is a valid Compose file by the specification's own schema. */
  @Test
  void validatesAgainstTheComposeSpecification() throws IOException {
    // GIVEN the Compose Specification's schema, WHEN the file is validated against it
    Set<ValidationMessage> errors = composeSchema().validate(compose());

    // THEN there is no error
    assertThat(errors).isEmpty();
  }

  /** Verifies that the schema check bites: a misspelt key and a wrong dependency condition are errors. */
  @Test
  void schemaRefusesABrokenFile() throws IOException {
    JsonNode broken = yaml.readTree("""
        services:
          tycostream:
            image: tycostream-triggers:compose
            helthcheck: { test: [CMD, "true"] }
            depends_on: { postgres: { condition: service_ready } }
          postgres:
            image: postgres:16.4
        """);

    assertThat(composeSchema().validate(broken)).extracting(ValidationMessage::getMessage)
        .anySatisfy(message -> assertThat(message).contains("helthcheck"))
        .anySatisfy(message -> assertThat(message).contains("condition"));
  }

  private JsonSchema composeSchema() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/compose-spec/compose-spec.json")) {
      assertThat(in).as("vendored schema").isNotNull();
      JsonNode document = withoutLegacyIds(new ObjectMapper().readTree(in));
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(document);
    }
  }

  /** Verifies the services a user expects, with pinned images and the healthcheck on the readiness endpoint. */
  @Test
  void runsTheServiceWithPostgresAndMaterialize() throws IOException {
    JsonNode services = compose().get("services");

    assertThat(names(services)).contains("materialized", "postgres", "tycostream", "mz-seed", "trigger-seed");
    assertThat(services.get("materialized").get("image").asText()).matches("materialize/materialized:v\\d+\\.\\d+\\.\\d+");
    services.forEach(service -> {
      if (service.has("image")) {
        assertThat(service.get("image").asText()).as("pinned image").contains(":").doesNotEndWith(":latest");
      }
    });
    JsonNode tycostream = services.get("tycostream");
    assertThat(tycostream.get("build").asText()).isEqualTo(".");
    assertThat(Files.exists(Path.of("Dockerfile"))).isTrue();
    assertThat(tycostream.get("command").get(0).asText()).isEqualTo("/app/" + SERVICE_CONFIG.toString().replace('\\', '/'));
    assertThat(tycostream.get("healthcheck").get("test").toString()).contains("/health/ready", "' 200 '");
    assertThat(tycostream.get("depends_on").get("postgres").get("condition").asText()).isEqualTo("service_healthy");
    assertThat(tycostream.get("depends_on").get("mz-seed").get("condition").asText())
        .isEqualTo("service_completed_successfully");
    assertThat(services.get("trigger-seed").get("depends_on").get("tycostream").get("condition").asText())
        .isEqualTo("service_healthy");
  }

  /** Verifies that every reference inside the file resolves: dependencies, volumes, mounted files, variables. */
  @Test
  void everyReferenceResolves() throws IOException {
    JsonNode compose = compose();
    JsonNode services = compose.get("services");
    List<String> declaredVolumes = names(compose.get("volumes"));
    services.forEach(service -> {
      if (service.has("depends_on")) {
        assertThat(names(services)).containsAll(names(service.get("depends_on")));
      }
      for (JsonNode mount : service.path("volumes")) {
        String source = mount.asText().split(":")[0];
        if (source.startsWith("./")) {
          assertThat(Path.of(source)).as("mounted from the repository").exists();
        } else {
          assertThat(declaredVolumes).as("named volume").contains(source);
        }
      }
      if (service.has("entrypoint")) {
        String script = service.get("entrypoint").get(service.get("entrypoint").size() - 1).asText();
        assertThat(Path.of(script.replace("/seed/", "conf/compose-seed/"))).as("seed script").exists();
      }
    });
    Matcher variables = VARIABLE.matcher(Files.readString(COMPOSE_FILE, StandardCharsets.UTF_8));
    while (variables.find()) {
      assertThat(DOCUMENTED_VARIABLES).as("documented in docs/docker-compose.md").contains(variables.group(1));
    }
  }

  /** Verifies that conf/compose.yaml loads, on PostgreSQL, with its hosts being the compose services. */
  @Test
  void serviceConfigurationMatchesTheComposeServices() throws IOException {
    // GIVEN the environment docker-compose.yml gives the service
    Map<String, String> env = Map.of("PG_PASSWORD", "tycostream-demo",
        "TYCOSTREAM_ADMIN__BOOTSTRAP_KEY", "compose-test-admin-key-0123456789abcdef");

    // WHEN its configuration is loaded as the service loads it
    TriggersConfig config = ConfigLoader.load(SERVICE_CONFIG, env);

    // THEN it is valid, on the compose PostgreSQL, subscribing to the seeded view of the compose Materialize
    List<String> services = names(compose().get("services"));
    assertThat(config.store().type()).isEqualTo(StoreType.POSTGRES);
    assertThat(services).contains(config.store().postgres().host());
    SourceConfig source = config.sources().get(0);
    assertThat(services).contains(source.materialize().host());
    assertThat(source.view()).isEqualTo("public.customer_totals");
    assertThat(Files.readString(Path.of("conf", "compose-seed", "materialize.sql")))
        .contains("CREATE MATERIALIZED VIEW IF NOT EXISTS customer_totals");
    assertThat(config.admin().allowedHosts()).contains("tycostream", "localhost");
    assertThat(config.admin().port()).isEqualTo(8080);

    // AND the demo trigger the seed job creates names that source and the service's own demo receiver
    String script = Files.readString(DEMO_TRIGGER_SCRIPT, StandardCharsets.UTF_8);
    JsonObject trigger = new JsonObject(script.substring(script.indexOf("trigger='") + 9,
        script.indexOf("}'", script.indexOf("trigger='")) + 1));
    assertThat(trigger.getString("source")).isEqualTo(source.name());
    assertThat(trigger.getJsonObject("webhook").getString("url")).isEqualTo("http://tycostream:8080/demo/webhook");
    assertThat(config.demoReceiver()).isTrue();
  }

  /**
   * The schema without its draft-4 style {@code "id"} annotations (2019-09 spells them {@code $id}; the validator
   * refuses the old keyword). They name subschemas only and constrain nothing.
   */
  private static JsonNode withoutLegacyIds(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      if (object.path("id").isTextual()) {
        object.remove("id");
      }
      object.forEach(DockerComposeFileTest::withoutLegacyIds);
    } else if (node.isArray()) {
      node.forEach(DockerComposeFileTest::withoutLegacyIds);
    }
    return node;
  }

  private JsonNode compose() throws IOException {
    return yaml.readTree(COMPOSE_FILE.toFile());
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    Iterator<String> fields = object.fieldNames();
    fields.forEachRemaining(names::add);
    return names;
  }
}
