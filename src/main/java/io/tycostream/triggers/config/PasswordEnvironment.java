package io.tycostream.triggers.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * The one rule for database passwords, shared by Materialize sources and the PostgreSQL store: the file names an
 * environment variable ({@code password_env}), never the password, so a config file can be committed and logged.
 */
final class PasswordEnvironment {

  private PasswordEnvironment() {
  }

  /** Refuses a {@code password} key in the section at {@code path}, pointing at {@code password_env} instead. */
  static void rejectPasswordInFile(JsonNode section, String path) {
    if (section.has("password")) {
      throw new ConfigException(path + ".password", "not allowed in the file; put the password in an environment"
          + " variable and name it in password_env");
    }
  }

  /**
   * The value of the variable {@code passwordEnv} in {@code env}, or {@code null} when no variable is named.
   *
   * @param field the {@code password_env} path the error names
   * @throws ConfigException when the variable is named but not set
   */
  static String resolve(String passwordEnv, Map<String, String> env, String field) {
    if (passwordEnv == null) {
      return null;
    }
    String password = env.get(passwordEnv);
    if (password == null) {
      throw new ConfigException(field, "environment variable " + passwordEnv + " is not set");
    }
    return password;
  }
}
