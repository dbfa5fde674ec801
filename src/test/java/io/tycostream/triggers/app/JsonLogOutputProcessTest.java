package io.tycostream.triggers.app;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies that with {@code logging.format: json} everything the service process writes is a JSON line, as a log
 * collector reading its standard output and error sees it: {@link Main} runs in a child JVM on the built-in
 * configuration (no file: the "built-in configuration" notice is said before the logger's format would otherwise
 * apply), generates the first admin key, delivers the demo trigger's webhooks to its own receiver and stops on
 * SIGTERM; and the secret re-encryption command reports the same way. The one documented exception is the generated
 * key's banner (docs/logging.md), which this test cuts out by its frame before reading the rest.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JsonLogOutputProcessTest {

  private static final Duration STEP = Duration.ofSeconds(60);
  private static final Pattern KEY_BANNER = Pattern.compile("\\n?={78}\\n(.*?)\\n={78}\\n\\n?", Pattern.DOTALL);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private Process process;

  @AfterEach
  void stopChild() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Verifies that start-up on the built-in configuration, a delivery and a stop write only JSON lines, besides the
   * generated key's banner.
   */
  @Test
  void jsonFormatWritesOnlyJsonLinesBesidesTheKeyBanner() throws Exception {
    // GIVEN the service started with no configuration file and logging.format json from the environment
    int port = freePort();
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    process = launch(Map.of(
        "TYCOSTREAM_LOGGING__FORMAT", "json",
        "TYCOSTREAM_DATA_DIR", dir.resolve("data").toString(),
        "TYCOSTREAM_ADMIN__PORT", Integer.toString(port),
        "TYCOSTREAM_TRIGGERS__0__WEBHOOK__URL", "http://127.0.0.1:" + port + "/demo/webhook",
        // a faster load generator, so that the demo trigger fires soon
        "TYCOSTREAM_SOURCES__0__LOADGEN__INTERVAL_MS", "20"), List.of(), stdout, stderr);

    // WHEN it becomes ready, delivers a webhook of the demo trigger, and receives SIGTERM
    waitUntil(() -> ready(port), "ready", stdout, stderr);
    waitUntil(() -> Files.readString(stdout, StandardCharsets.UTF_8).contains("demo webhook received"),
        "a demo webhook delivered", stdout, stderr);
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();

    // THEN standard output is the key's banner (once) and otherwise only JSON lines with the standard fields
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    Matcher banner = KEY_BANNER.matcher(out);
    assertThat(banner.find()).as("the generated key's banner in:%n%s", out).isTrue();
    assertThat(banner.group(1)).contains("generated the first admin API key").containsPattern("tsk_[A-Za-z0-9_-]{43}");
    String logged = banner.replaceFirst("");
    assertThat(KEY_BANNER.matcher(logged).find()).as("a second banner").isFalse();
    List<JsonObject> lines = jsonLines(logged, "stdout");
    assertThat(lines).allSatisfy(line -> assertThat(line.fieldNames())
        .contains("timestamp", "level", "logger", "thread", "message"));
    // AND what the service says around start-up and stop is among them: the built-in configuration notice, the
    // generated key's warning (without the key), readiness and the stop
    List<String> messages = lines.stream().map(line -> line.getString("message")).toList();
    assertThat(messages).contains("no " + Main.DEFAULT_CONFIG + " here: using the built-in configuration", "stopped");
    assertThat(messages).anySatisfy(message -> assertThat(message).startsWith("ready [admin: 127.0.0.1:" + port));
    assertThat(messages).anySatisfy(message -> assertThat(message).startsWith("no API key existed: generated"));
    // AND standard error holds nothing that is not a JSON line either
    assertThat(jsonLines(Files.readString(stderr, StandardCharsets.UTF_8), "stderr")).isEmpty();
  }

  /** Verifies that the secret re-encryption command, too, reports as a JSON line in json mode. */
  @Test
  void reencryptCommandReportsAsAJsonLine() throws Exception {
    // GIVEN a data directory with the first start's store, master key and demo trigger
    Path stdout = dir.resolve("first.txt");
    int port = freePort();
    Map<String, String> env = Map.of("TYCOSTREAM_LOGGING__FORMAT", "json",
        "TYCOSTREAM_DATA_DIR", dir.resolve("data").toString(),
        "TYCOSTREAM_ADMIN__PORT", Integer.toString(port),
        "TYCOSTREAM_ADMIN__BOOTSTRAP_KEY", "json-log-test-admin-key-0123456789abcdef",
        "TYCOSTREAM_TRIGGERS__0__WEBHOOK__URL", "http://127.0.0.1:" + port + "/demo/webhook");
    process = launch(env, List.of(), stdout, dir.resolve("first-err.txt"));
    waitUntil(() -> ready(port), "ready", stdout, dir.resolve("first-err.txt"));
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("first start exited").isTrue();

    // WHEN the re-encryption command runs on it
    Path out = dir.resolve("reencrypt.txt");
    Path err = dir.resolve("reencrypt-err.txt");
    process = launch(env, List.of(ReencryptSecretsCommand.FLAG), out, err);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the command exited").isTrue();

    // THEN it succeeded, and all it wrote are JSON lines, its report among them
    assertThat(process.exitValue()).as(Files.readString(out) + Files.readString(err)).isZero();
    List<String> messages = jsonLines(Files.readString(out, StandardCharsets.UTF_8), "stdout").stream()
        .map(line -> line.getString("message")).toList();
    assertThat(messages).anySatisfy(message -> assertThat(message)
        .startsWith("re-encrypted the webhook secrets under the current master key [triggers: "));
    assertThat(jsonLines(Files.readString(err, StandardCharsets.UTF_8), "stderr")).isEmpty();
  }

  private Process launch(Map<String, String> env, List<String> args, Path stdout, Path stderr) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> command = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    // only the test's own variables: an inherited TYCOSTREAM_* must not change the configuration under test
    builder.environment().keySet().removeIf(name -> name.startsWith("TYCOSTREAM_"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Each line of {@code text} parsed as a JSON object; fails naming the first line that is not one. */
  private static List<JsonObject> jsonLines(String text, String stream) {
    List<JsonObject> parsed = new ArrayList<>();
    for (String line : text.lines().toList()) {
      try {
        parsed.add(new JsonObject(line));
      } catch (DecodeException | ClassCastException notJson) {
        throw new AssertionError(stream + " holds a line that is not a JSON object: '" + line + "' in:\n" + text);
      }
    }
    return parsed;
  }

  private boolean ready(int port) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Polls {@code check} every 100 ms, bounded by {@link #STEP}; fails early if the child exits. */
  private void waitUntil(Check check, String what, Path stdout, Path stderr) throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the service exited with " + process.exitValue() + " before: " + what + "\n"
            + Files.readString(stdout) + Files.readString(stderr));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not " + what + " within " + STEP + ":\n" + Files.readString(stdout)
        + Files.readString(stderr));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
