package io.tycostream.triggers.config;

import java.util.List;

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

  @Override
  public String toString() {
    // the password must never reach a log line
    return "MaterializeConfig[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
        + ", passwordEnv=" + passwordEnv + ", sslMode=" + sslMode + ", cluster=" + cluster + "]";
  }
}
