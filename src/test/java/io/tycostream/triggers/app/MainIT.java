package io.tycostream.triggers.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the acceptance on the packaged fat jar: a quick start-up to readiness, readiness while the
 * loadgen streams, a clean stop on SIGTERM, and a non-zero exit naming the field for bad configurations.
 * <p>
 * The start-up is printed and bounded at {@value #STARTUP_LIMIT_MS} ms here, a bound for a broken start (a blocked
 * step, a timeout waited out), not the goal: on the shared 2-core machines the same jar measured 2.8 to 3.6 s from
 * one run to the next (the starting commit of the stop that changed this too). The 3 s goal is the benchmark's
 * {@code resume_ms} (a fork of the fat jar to its first delivery after a kill -9, so start-up and more), measured
 * with the machine's other figures beside it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainIT {

  private static final long STARTUP_LIMIT_MS = 10_000;
  private static final Duration POLL_LIMIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  /** Verifies fast readiness, readiness while streaming, and a clean exit on SIGTERM. */
  @Test
  void startsFastStaysReadyAndStopsCleanlyOnSigterm() throws Exception {
    // GIVEN a config with one loadgen source on a free admin port
    int port = freePort();
    Path config = write("""
        data_dir: %s
        admin:
          host: 127.0.0.1
          port: %d
        sources:
          - name: positions
            type: loadgen
            key_columns: [account]
            loadgen: { entities: 20, interval_ms: 50, changes_per_tick: 3, seed: 42 }
        """.formatted(dir.resolve("data"), port));
    Path log = dir.resolve("service.log");
    long launchedAt = System.nanoTime();
    Process process = launch(config, log);
    try {
      // WHEN readiness is polled until it answers 200
      HttpResponse<String> ready = pollUntilReady(port, process, log);
      long startupMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - launchedAt);
      System.out.println("measured start-up to readiness: " + startupMs + " ms");

      // THEN it was ready within the bound with the source connected
      assertThat(startupMs).as("start-up to readiness").isLessThan(STARTUP_LIMIT_MS);
      assertThat(ready.body()).contains("\"positions\"").contains("CONNECTED");

      // AND it stays ready while batches flow, with liveness up
      Thread.sleep(500);
      assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);

      // AND the API needs a key: the first start printed a generated admin key, once, and only that key opens it
      String printed = Files.readString(log, StandardCharsets.UTF_8);
      Matcher key = Pattern.compile("^\\s+(tsk_[A-Za-z0-9_-]{43})$", Pattern.MULTILINE).matcher(printed);
      assertThat(key.find()).as("a generated key on its own line in:%n%s", printed).isTrue();
      assertThat(get(port, "/api/v1/triggers").statusCode()).isEqualTo(401);
      assertThat(get(port, "/api/v1/triggers", "Bearer " + key.group(1)).statusCode()).isEqualTo(200);
      assertThat(printed.lines().filter(line -> line.contains(key.group(1)))).hasSize(1);

      // WHEN it receives SIGTERM
      process.destroy();

      // THEN it exits within 5 s, cleanly, after logging the stop
      assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("exited within 5 s").isTrue();
      assertThat(process.exitValue()).isIn(0, 143);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(output).contains("ready [admin: 127.0.0.1:" + port).contains("stopped");
      assertThat(output).doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Verifies that SIGTERM while batches are committed and webhooks delivered drains them and logs no ERROR, stop after
   * stop on the same data directory (each start resumes from the previous one's checkpoint).
   */
  @Test
  void stopsWithoutErrorsWhileCommittingAndDelivering() throws Exception {
    // GIVEN a fast load generator and a trigger delivering to the demo receiver
    int port = freePort();
    Path config = write("""
        data_dir: %s
        admin: { host: 127.0.0.1, port: %d }
        sources:
          - name: positions
            type: loadgen
            key_columns: [account]
            loadgen: { entities: 40, interval_ms: 5, changes_per_tick: 8, seed: 42 }
        delivery: { require_https: false, allowed_targets: [127.0.0.1] }
        demo_receiver: true
        triggers:
          - name: demo
            source: positions
            webhook: { url: "http://127.0.0.1:%d/demo/webhook" }
            fire: { net_position: { _gt: 3000 } }
            clear: { net_position: { _lte: 2000 } }
        """.formatted(dir.resolve("data"), port, port));
    for (int run = 1; run <= 3; run++) {
      Path log = dir.resolve("service-" + run + ".log");
      Process process = launch(config, log);
      try {
        // WHEN it runs for a second of commits and deliveries, then receives SIGTERM
        pollUntilReady(port, process, log);
        Thread.sleep(1_000);
        process.destroy();

        // THEN it exits within 10 s after logging the stop, and nothing in its log is an ERROR or an exception
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("run %d exited within 10 s", run).isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(output).as("run %d", run).contains("demo webhook received").contains("stopped");
        assertThat(output.lines().filter(line -> line.contains(" ERROR ") || line.contains("Exception")))
            .as("run %d: ERROR lines and exceptions", run).isEmpty();
      } finally {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** Verifies that each bad configuration makes the jar exit with code 2 and a stderr line naming the field. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "type: kafka\\n    key_columns: [id]      | sources[0].type: unknown source type 'kafka'",
      "type: loadgen                           | sources[0].key_columns: must not be empty",
      "type: loadgen\\n    key_columns: [account\\n  - : : | config.yaml: malformed YAML at line"})
  void exitsWithTheFieldNameOnBadConfig(String sourceBody, String expectedMessage) throws Exception {
    // GIVEN a configuration with one faulty source
    Path config = write("sources:\n  - name: positions\n    " + sourceBody.replace("\\n", "\n") + "\n");
    Path log = dir.resolve("bad.log");
    Process process = launch(config, log);
    try {
      // WHEN the jar runs, THEN it exits by itself with code 2 and names the field
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(process.exitValue()).isEqualTo(Main.EXIT_CONFIG_ERROR);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(output).contains("config error: " + expectedMessage);
    } finally {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private Process launch(Path config, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Djava.io.tmpdir=" + tmp, "-jar", fatJar(),
        config.toString()))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // only the test's own variables: an inherited TYCOSTREAM_* must not change the configuration under test
    builder.environment().keySet().removeIf(name -> name.startsWith("TYCOSTREAM_"));
    return builder.start();
  }

  private HttpResponse<String> pollUntilReady(int port, Process process, Path log) throws Exception {
    long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("service exited early with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> response = get(port, "/health/ready");
        if (response.statusCode() == 200) {
          return response;
        }
      } catch (IOException notListeningYet) {
        // the server is not up yet; poll again
      }
      Thread.sleep(25);
    }
    throw new AssertionError("not ready within " + POLL_LIMIT + ":\n" + Files.readString(log));
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return get(port, path, null);
  }

  private HttpResponse<String> get(int port, String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2)).GET();
    if (authorization != null) {
      request.header("authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }

  private static String fatJar() {
    String jar = System.getProperty("fatJar", "target/tycostream-triggers-fat.jar");
    assertThat(Path.of(jar)).as("fat jar (run after mvn package)").exists();
    return Path.of(jar).toAbsolutePath().toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
