package io.tycostream.triggers.config;

import io.tycostream.triggers.json.JsonMappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the configuration: YAML (snake_case keys, unknown fields rejected), then environment-variable overrides
 * ({@code TYCOSTREAM_ADMIN__PORT=9090}, {@code TYCOSTREAM_SOURCES__0__MATERIALIZE__HOST=mz.example.com}) applied to
 * the tree, then Jackson binding to the records ({@link ConfigBinder}), then validation, exactly once. The
 * environment is read only through the map it is given, which the binder also hands to the sections naming a
 * password or secret variable.
 * <p>
 * Every problem is a {@link ConfigException} whose message starts with the field path. Stateless and thread-safe.
 */
public final class ConfigLoader {

  /** Prefix of the environment variables that override configuration fields. */
  public static final String ENV_PREFIX = "TYCOSTREAM_";

  // decimals stay exact: trigger conditions in the file compare like the same conditions sent to the API
  private static final ObjectMapper YAML = JsonMappers.yaml();

  private ConfigLoader() {
  }

  /** Reads {@code file} (UTF-8) and loads it with {@link #load(String, String, Map)}. */
  public static TriggersConfig load(Path file, Map<String, String> env) {
    String fileName = String.valueOf(file.getFileName());
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(fileName, "file not found: " + file.toAbsolutePath());
    } catch (IOException e) {
      throw new ConfigException(fileName, "cannot read " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    return load(yaml, fileName, env);
  }

  /**
   * Parses {@code yaml}, applies the {@value #ENV_PREFIX} overrides found in {@code env}, binds and validates.
   *
   * @param fileName names the document in syntax error messages
   */
  public static TriggersConfig load(String yaml, String fileName, Map<String, String> env) {
    ObjectNode root = parse(yaml, fileName);
    Map<String, String> overridden = EnvOverrides.apply(root, env);
    try {
      TriggersConfig config = ConfigBinder.bind(root, env);
      ConfigValidator.validate(config);
      return config;
    } catch (ConfigException e) {
      String envName = settingVariable(overridden, e.field());
      if (envName == null) {
        throw e;
      }
      throw new ConfigException(e.field(), problemOf(e) + " (set by " + envName + ")", e);
    }
  }

  private static ObjectNode parse(String yaml, String fileName) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      String problem = JsonMappers.problemOf(e);
      if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
        // SnakeYAML's own words say what was expected; its context says what it was reading
        String context = marked.getContext() == null ? "" : " (" + marked.getContext().strip() + ")";
        problem = marked.getProblem().strip() + context;
        line = marked.getProblemMark() == null ? line : marked.getProblemMark().getLine() + 1;
      }
      throw new ConfigException(fileName, "malformed YAML" + (line > 0 ? " at line " + line : "") + ": " + problem, e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return YAML.createObjectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException(fileName, "expected a mapping (admin:, sources:, …) at the top level");
    }
    return (ObjectNode) tree;
  }

  /**
   * The variable that set {@code field} or the list or section holding it ({@code TYCOSTREAM_CLUSTER__MEMBERS} for
   * {@code cluster.members[1]}), the most specific one, or {@code null}.
   */
  private static String settingVariable(Map<String, String> overridden, String field) {
    String best = null;
    String variable = null;
    for (Map.Entry<String, String> entry : overridden.entrySet()) {
      String path = entry.getKey();
      boolean holds = field.equals(path) || field.startsWith(path + ".") || field.startsWith(path + "[");
      if (holds && (best == null || path.length() > best.length())) {
        best = path;
        variable = entry.getValue();
      }
    }
    return variable;
  }

  private static String problemOf(ConfigException e) {
    return e.getMessage().substring(e.field().length() + 2);
  }

}
