package io.tycostream.triggers.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNullElse;

/**
 * How to reach the Materialize instance of a {@code materialize} source.
 *
 * @param host        the host name
 * @param port        the pgwire port
 * @param database    the database to connect to
 * @param user        the user (an e-mail or service account on Materialize Cloud)
 * @param passwordEnv the name of the environment variable holding the password, or {@code null} for none
 * @param password    the password read from {@code passwordEnv} by the loader, or {@code null}; never from YAML
 * @param sslMode     one of {@link #SSL_MODES}
 * @param cluster     the cluster the SUBSCRIBE runs on, or {@code null} for the user's default
 */
public record MaterializeConfig(String host, int port, String database, String user, String passwordEnv,
                                String password, String sslMode, String cluster) {

  public static final int DEFAULT_PORT = 6875;
  public static final String DEFAULT_DATABASE = "materialize";
  public static final String DEFAULT_USER = "materialize";
  /** Materialize Cloud requires TLS, so the default refuses plain-text connections. */
  public static final String DEFAULT_SSL_MODE = "require";
  /** The accepted {@code ssl_mode} values, as in libpq's {@code sslmode}. */
  public static final List<String> SSL_MODES = List.of("disable", "prefer", "require", "verify-ca", "verify-full");

  /**
   * The {@code materialize} section of a source as written: each field left out takes its default, here and nowhere
   * else; the password is read from the variable {@code password_env} names, never from the file.
   */
  @JsonCreator
  static MaterializeConfig fromFile(@JsonProperty("host") String host, @JsonProperty("port") Integer port,
                                    @JsonProperty("database") String database, @JsonProperty("user") String user,
                                    @JsonProperty("password_env") String passwordEnv,
                                    @JsonProperty("password") String password,
                                    @JsonProperty("ssl_mode") String sslMode,
                                    @JsonProperty("cluster") String cluster,
                                    @JacksonInject(ConfigBinder.ENV) Map<String, String> env) {
    PasswordEnvironment.rejectPasswordInFile(password);
    return new MaterializeConfig(host, requireNonNullElse(port, DEFAULT_PORT),
        requireNonNullElse(database, DEFAULT_DATABASE), requireNonNullElse(user, DEFAULT_USER), passwordEnv,
        PasswordEnvironment.resolve(passwordEnv, env), requireNonNullElse(sslMode, DEFAULT_SSL_MODE), cluster);
  }

  @Override
  public String toString() {
    // the password must never reach a log line
    return "MaterializeConfig[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
        + ", passwordEnv=" + passwordEnv + ", sslMode=" + sslMode + ", cluster=" + cluster + "]";
  }
}
