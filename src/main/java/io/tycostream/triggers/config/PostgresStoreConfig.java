package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

import static java.util.Objects.requireNonNullElse;

/**
 * How to reach the PostgreSQL server of a {@code postgres} store ({@code store.postgres}). Holds the name of the
 * password's environment variable, not the password, so the record can be logged; {@link #password(Map)} reads it.
 *
 * @param host        the host name
 * @param port        the server's port
 * @param database    the database holding the service's tables
 * @param user        the user the service connects as
 * @param passwordEnv the name of the environment variable holding the password, or {@code null} for none
 * @param sslMode     one of {@link MaterializeConfig#SSL_MODES}, with libpq's meaning
 * @param poolSize    connections the store keeps open to the server
 */
public record PostgresStoreConfig(String host, int port, String database, String user, String passwordEnv,
                                  String sslMode, int poolSize) {

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 5432;
  public static final String DEFAULT_DATABASE = "tycostream";
  public static final String DEFAULT_USER = "tycostream";
  /**
   * libpq's own default: encrypts when the server offers TLS, still connects to a local server without it. Set
   * {@code require} or {@code verify-full} for a server across a network.
   */
  public static final String DEFAULT_SSL_MODE = "prefer";
  /** Per node: the server's {@code max_connections} (100 by default) must cover this times the number of nodes. */
  public static final int DEFAULT_POOL_SIZE = 8;

  /**
   * The {@code store.postgres} section as written: each field left out takes its default, here and nowhere else; a
   * {@code password} in the file is refused.
   */
  @JsonCreator
  static PostgresStoreConfig fromFile(@JsonProperty("host") String host, @JsonProperty("port") Integer port,
                                      @JsonProperty("database") String database, @JsonProperty("user") String user,
                                      @JsonProperty("password_env") String passwordEnv,
                                      @JsonProperty("password") String password,
                                      @JsonProperty("ssl_mode") String sslMode,
                                      @JsonProperty("pool_size") Integer poolSize) {
    PasswordEnvironment.rejectPasswordInFile(password);
    return new PostgresStoreConfig(requireNonNullElse(host, DEFAULT_HOST), requireNonNullElse(port, DEFAULT_PORT),
        requireNonNullElse(database, DEFAULT_DATABASE), requireNonNullElse(user, DEFAULT_USER), passwordEnv,
        requireNonNullElse(sslMode, DEFAULT_SSL_MODE), requireNonNullElse(poolSize, DEFAULT_POOL_SIZE));
  }

  /** What a file without a {@code store.postgres} section gives. */
  public static PostgresStoreConfig defaults() {
    return fromFile(null, null, null, null, null, null, null, null);
  }

  /**
   * The password, read from the variable named by {@link #passwordEnv()} in {@code env} (the loader has checked at
   * startup that it is set when the store type is {@code postgres}).
   *
   * @return the password, or {@code null} when no variable is named
   * @throws ConfigException on {@code store.postgres.password_env} when the variable is named but not set
   */
  public String password(Map<String, String> env) {
    try {
      return PasswordEnvironment.resolve(passwordEnv, env);
    } catch (InvalidFieldException unset) {
      throw new ConfigException("store.postgres." + unset.field(), unset.getMessage());
    }
  }
}
