package io.tycostream.triggers.bench;

import io.tycostream.triggers.testkit.TestApiKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The service's configuration file for a benchmark run: one {@code materialize} source on the wire emulator, SQLite in
 * {@code dataDir}, delivery to loopback targets, and triggers from the {@code triggers:} list. Written as YAML, the
 * surface an operator uses, so the benchmark keeps working when the typed config records behind it change. Pure.
 *
 * @param adminPort 0 for an ephemeral port (in-process), a fixed free port for a child JVM
 */
record ServiceConfigYaml(Path dataDir, int adminPort, String source, int emulatorPort, int maxInFlight,
                         List<BenchTrigger> triggers) {

  ServiceConfigYaml {
    triggers = List.copyOf(triggers);
  }

  String text() {
    String triggerList = triggers.isEmpty() ? "triggers: []\n" : "triggers:\n" + triggers.stream()
        .map(trigger -> "  - " + trigger.json().encode() + "\n").collect(Collectors.joining());
    return """
        data_dir: "%s"
        admin:
          host: 127.0.0.1
          port: %d
          bootstrap_key: "%s"
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
          max_in_flight: %d
        """.formatted(dataDir.toAbsolutePath(), adminPort, TestApiKeys.ADMIN, source, ChangeDriver.VIEW, emulatorPort, maxInFlight)
        + triggerList;
  }
}
