package io.tycostream.triggers.metrics;

import io.tycostream.triggers.testkit.PrometheusText;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.tycostream.triggers.testkit.Blocking.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that {@code docs/grafana-dashboard.json} is built on meters that exist: every metric its queries name is
 * in a scrape of a registry in which every kind of meter recorded once (and Vert.x recorded its pools), and it has
 * the panels the issue asks for. A renamed meter fails here instead of leaving an empty panel.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Path.of("docs", "grafana-dashboard.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:tycostream|jvm|vertx|process|system)_[a-z0-9_]+)");

  /** Verifies that every metric named by a panel query is served. */
  @Test
  void everyQueriedMetricIsServed() throws IOException {
    // GIVEN a scrape in which every meter of the service exists
    Set<String> served = servedNames();

    // WHEN the dashboard's queries are read
    Set<String> queried = new TreeSet<>();
    for (String expr : expressions(dashboard())) {
      Matcher metric = METRIC.matcher(expr);
      while (metric.find()) {
        queried.add(metric.group(1));
      }
    }

    // THEN each is served
    assertThat(queried).isNotEmpty().allSatisfy(name -> assertThat(served).as("served metrics").contains(name));
  }

  /** Verifies the panels the operators' issue lists. */
  @Test
  void hasThePanelsOperatorsAskedFor() throws IOException {
    List<String> titles = dashboard().getJsonArray("panels").stream().map(JsonObject.class::cast)
        .map(panel -> panel.getString("title")).toList();

    assertThat(titles).contains("Source lag", "Changes per second", "Commit latency p99",
        "Fires and clears per trigger", "Delivery attempts by outcome", "Delivery latency p99",
        "Pending and dead per trigger", "Breaker states", "Retry queue per trigger");
  }

  private static JsonObject dashboard() throws IOException {
    return new JsonObject(Files.readString(DASHBOARD, StandardCharsets.UTF_8));
  }

  private static List<String> expressions(JsonObject dashboard) {
    List<String> expressions = new ArrayList<>();
    for (Object item : dashboard.getJsonArray("panels")) {
      JsonArray targets = ((JsonObject) item).getJsonArray("targets", new JsonArray());
      targets.stream().map(JsonObject.class::cast).forEach(target -> expressions.add(target.getString("expr")));
    }
    JsonArray variables = dashboard.getJsonObject("templating").getJsonArray("list");
    variables.stream().map(JsonObject.class::cast).filter(variable -> variable.containsKey("definition"))
        .forEach(variable -> expressions.add(variable.getString("definition")));
    return expressions;
  }

  private static Set<String> servedNames() {
    ServiceMetrics metrics = ServiceMetrics.prometheus();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics.vertxMetricsOptions()))
        .withMetrics(metrics.vertxMetricsFactory())
        .build();
    try {
      await(vertx.executeBlocking(() -> "done"));
      SourceMeters source = metrics.source("orders");
      source.track(List.of("CONNECTED"), () -> "CONNECTED", () -> 1);
      source.committed(1, 1, 1_000_000);
      TriggerMeters trigger = source.trigger("big");
      trigger.fired();
      metrics.delivery().attempt("big", AttemptClass.STATUS_2XX, 1_000_000);
      metrics.delivery().observe(0, 0, Map.of("https://hooks.example:443", "open"));
      metrics.triggerLevels().update(Map.of("big", new TriggerLevels.Level(1, 0, 0, 0)), System.currentTimeMillis());
      return PrometheusText.parse(metrics.scrape()).samples().stream().map(PrometheusText.Sample::name)
          .collect(Collectors.toSet());
    } finally {
      await(vertx.close());
      metrics.close();
    }
  }
}
