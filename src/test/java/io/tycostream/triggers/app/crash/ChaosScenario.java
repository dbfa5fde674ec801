package io.tycostream.triggers.app.crash;

import io.tycostream.triggers.app.crash.ReferenceTriggers.Rule;
import io.tycostream.triggers.testkit.WebhookReceiver;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the kill tests share: the source and its three triggers (as the service's configuration and as the reference
 * model's rules), fresh secrets, the service configuration file, the fat jar and a log directory kept next to it.
 */
public final class ChaosScenario {

  /** The source name; the emulator table is {@link PositionsWriter#TABLE}. */
  public static final String SOURCE = "positions";

  /** The three triggers, as the reference model evaluates them (the same conditions as {@link #triggersYaml}). */
  public static final List<Rule> RULES = List.of(
      new Rule("qty_high", row -> row.qty() > 700, row -> row.qty() < 500),
      new Rule("price_high", row -> row.price().compareTo(new BigDecimal("95.5")) >= 0, null),
      new Rule("inactive_exposure", row -> !row.active() && row.qty() > 300, row -> row.active()));

  private ChaosScenario() {
  }

  /** A fresh Standard Webhooks secret for each trigger, by trigger name. */
  public static Map<String, String> newSecrets() {
    Map<String, String> secrets = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    for (Rule rule : RULES) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      secrets.put(rule.name(), "whsec_" + Base64.getEncoder().encodeToString(key));
    }
    return secrets;
  }

  /**
   * Writes {@code dir/config.yaml}: admin on {@code adminPort}, the source on the emulator, delivery to loopback, the
   * three triggers with their secrets, and {@code extraYaml} (top-level sections such as {@code store:} and
   * {@code cluster:}, or empty).
   */
  public static Path writeConfig(Path dir, int adminPort, int emulatorPort, WebhookReceiver receiver,
                                 Map<String, String> secrets, String extraYaml) throws IOException {
    String yaml = """
        data_dir: %s
        admin:
          host: 127.0.0.1
          port: %d
        sources:
          - name: %s
            type: materialize
            view: %s
            key_columns: [id]
            materialize:
              host: 127.0.0.1
              port: %d
              ssl_mode: disable
        delivery:
          require_https: false
          allowed_targets: [127.0.0.1]
        triggers:
          - name: qty_high
            source: positions
            webhook: { url: "%s", secret: "%s" }
            fire: { qty: { _gt: 700 } }
            clear: { qty: { _lt: 500 } }
          - name: price_high
            source: positions
            webhook: { url: "%s", secret: "%s" }
            fire: { price: { _gte: 95.5 } }
          - name: inactive_exposure
            source: positions
            webhook: { url: "%s", secret: "%s" }
            fire: { active: { _eq: false }, qty: { _gt: 300 } }
            clear: { active: { _eq: true } }
        """.formatted(dir.resolve("data"), adminPort, SOURCE, PositionsWriter.TABLE, emulatorPort,
        receiver.url("/hooks/qty_high"), secrets.get("qty_high"),
        receiver.url("/hooks/price_high"), secrets.get("price_high"),
        receiver.url("/hooks/inactive_exposure"), secrets.get("inactive_exposure")) + extraYaml;
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  /** The fat jar under test ({@code -DfatJar}, else {@code target/tycostream-triggers-fat.jar}); must exist. */
  public static Path fatJar() {
    Path jar = Path.of(System.getProperty("fatJar", "target/tycostream-triggers-fat.jar")).toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException("fat jar " + jar + " missing (run after mvn package)");
    }
    return jar;
  }

  /**
   * An empty directory {@code name} next to the fat jar (not in the temp dir), so the services' logs can be read
   * after a failure; what an earlier run left there is deleted.
   */
  public static Path freshLogDir(String name) throws IOException {
    Path logs = fatJar().getParent().resolve(name);
    Files.createDirectories(logs);
    try (Stream<Path> old = Files.walk(logs)) {
      for (Path file : old.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(logs)) {
          Files.deleteIfExists(file);
        }
      }
    }
    return logs;
  }
}
