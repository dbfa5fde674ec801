package io.tycostream.triggers.config;

import java.util.Map;

/**
 * The one rule for database passwords, shared by Materialize sources and the PostgreSQL store: the file names an
 * environment variable ({@code password_env}), never the password, so a config file can be committed and logged.
 */
final class PasswordEnvironment {

  private PasswordEnvironment() {
  }

  /** Refuses a {@code password} given in the file, pointing at {@code password_env} instead. */
  static void rejectPasswordInFile(String password) {
    if (password != null) {
      throw new InvalidFieldException("password", "not allowed in the file; put the password in an environment"
          + " variable and name it in password_env");
    }
  }

  /**
   * The value of the variable {@code passwordEnv} in {@code env}, or {@code null} when no variable is named.
   *
   * @throws InvalidFieldException on {@code password_env} when the variable is named but not set
   */
  static String resolve(String passwordEnv, Map<String, String> env) {
    if (passwordEnv == null) {
      return null;
    }
    String password = env.get(passwordEnv);
    if (password == null) {
      throw new InvalidFieldException("password_env", "environment variable " + passwordEnv + " is not set");
    }
    return password;
  }
}
