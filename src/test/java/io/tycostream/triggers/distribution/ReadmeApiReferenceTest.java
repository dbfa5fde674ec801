package io.tycostream.triggers.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tycostream.triggers.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the README's promise that it documents every endpoint with an example (issue #10's acceptance): each
 * operation of the OpenAPI document under {@code /api/} or {@code /health/} is named in the README as
 * {@code METHOD /path}, and has a {@code curl} example in the README or in a {@code docs/} page the README links;
 * and that the README's error table lists every error code the admin API can answer.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadmeApiReferenceTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  /** {@code METHOD /path} as the README names an operation (a query string or a closing backtick ends the path). */
  private static final Pattern NAMED = Pattern.compile("\\b(GET|POST|PUT|PATCH|DELETE) (/[^\\s`?|]+)");
  private static final Pattern CURL_METHOD = Pattern.compile("(?:-X|--request)\\s+([A-Z]+)");
  private static final Pattern CURL_PATH = Pattern.compile("(/(?:api|health)/[^\\s\"'?`;]*)");
  private static final Pattern DOC_LINK = Pattern.compile("\\]\\((docs/[^)#\\s]+\\.md)(?:#[^)]*)?\\)");
  private static final Pattern ERROR_ROW = Pattern.compile("^\\| \\d{3} \\| `([a-z_]+)`", Pattern.MULTILINE);
  /**
   * Codes of the error family never answered by the admin API: a refused configuration stops the start-up, and the
   * source's failures are reported by {@code /health/ready}, its logs and alerts (a dry run answers them as
   * {@code unavailable}).
   */
  private static final Set<String> NOT_HTTP = Set.of("invalid_config", "object_dropped", "key_violation",
      "history_lost");

  /** Verifies that every documented operation is named in the README. */
  @Test
  void readmeNamesEveryOperation() throws IOException {
    Set<String> named = new TreeSet<>();
    Matcher matcher = NAMED.matcher(readme());
    while (matcher.find()) {
      named.add(matcher.group(1) + " " + template(matcher.group(2)));
    }
    assertThat(missing(operations(), named)).as("operations the README does not name").isEmpty();
  }

  /** Verifies that every documented operation has a curl example in the README or a page it links. */
  @Test
  void everyOperationHasACurlExample() throws IOException {
    Set<String> examples = new TreeSet<>();
    for (String page : readmeAndLinkedPages()) {
      for (String command : curlCommands(page)) {
        Matcher method = CURL_METHOD.matcher(command);
        String verb = method.find() ? method.group(1)
            : command.matches("(?s).*\\s(-d|--data|--data-raw|--data-binary)\\s.*") && !command.contains(" -G ")
            ? "POST" : "GET";
        Matcher path = CURL_PATH.matcher(command);
        while (path.find()) {
          examples.add(verb + " " + path.group(1));
        }
      }
    }
    List<String> without = new ArrayList<>();
    for (String operation : operations()) {
      String[] parts = operation.split(" ", 2);
      Pattern concrete = Pattern.compile(Pattern.quote(parts[1]).replace("{}", "\\E[^/]+\\Q"));
      boolean found = examples.stream().anyMatch(example -> example.startsWith(parts[0] + " ")
          && concrete.matcher(example.substring(parts[0].length() + 1)).matches());
      if (!found) {
        without.add(operation);
      }
    }
    assertThat(without).as("operations without a curl example").isEmpty();
  }

  /** Verifies that the README's error table has a row for every code the admin API answers. */
  @Test
  void errorTableListsEveryCodeTheApiAnswers() throws IOException {
    Set<String> rows = new TreeSet<>();
    Matcher matcher = ERROR_ROW.matcher(readme());
    while (matcher.find()) {
      rows.add(matcher.group(1));
    }
    Set<String> answered = new TreeSet<>(Arrays.stream(ErrorCode.values()).map(ErrorCode::code).toList());
    answered.removeAll(NOT_HTTP);
    assertThat(missing(answered, rows)).as("codes without a row in the README's error table").isEmpty();
  }

  /** The operations of the OpenAPI document under /api/ and /health/, as "METHOD /path" with parameters as {}. */
  private static Set<String> operations() throws IOException {
    Set<String> operations = new TreeSet<>();
    JsonNode paths = new ObjectMapper(new YAMLFactory())
        .readTree(ROOT.resolve("src/main/resources/openapi/openapi.yaml").toFile()).get("paths");
    paths.fields().forEachRemaining(path -> {
      if (path.getKey().startsWith("/api/") || path.getKey().startsWith("/health/")) {
        path.getValue().fieldNames().forEachRemaining(method -> {
          if (METHODS.contains(method)) {
            operations.add(method.toUpperCase(Locale.ROOT) + " " + template(path.getKey()));
          }
        });
      }
    });
    assertThat(operations).contains("PATCH /api/v1/triggers/{}", "GET /api/v1/audit");
    return operations;
  }

  private static String template(String path) {
    return path.replaceAll("\\{[A-Za-z_]+}", "{}");
  }

  private static Set<String> missing(Set<String> wanted, Set<String> present) {
    Set<String> missing = new TreeSet<>(wanted);
    missing.removeAll(present);
    return missing;
  }

  private static String readme() throws IOException {
    return Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
  }

  private static List<String> readmeAndLinkedPages() throws IOException {
    String readme = readme();
    List<String> pages = new ArrayList<>(List.of(readme));
    Set<String> linked = new TreeSet<>();
    Matcher links = DOC_LINK.matcher(readme);
    while (links.find()) {
      linked.add(links.group(1));
    }
    for (String link : linked) {
      Path page = ROOT.resolve(link);
      if (Files.exists(page)) {
        pages.add(Files.readString(page, StandardCharsets.UTF_8));
      }
    }
    return pages;
  }

  /** Each {@code curl} command of a page, its continuation lines ({@code \} at the end) joined. */
  private static List<String> curlCommands(String page) {
    List<String> commands = new ArrayList<>();
    String[] lines = page.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int start = lines[i].indexOf("curl ");
      if (start < 0) {
        continue;
      }
      StringBuilder command = new StringBuilder(lines[i].substring(start));
      while (command.toString().stripTrailing().endsWith("\\") && i + 1 < lines.length) {
        command.setLength(command.toString().stripTrailing().length() - 1);
        command.append(' ').append(lines[++i].strip());
      }
      commands.add(command.toString());
    }
    return commands;
  }
}
