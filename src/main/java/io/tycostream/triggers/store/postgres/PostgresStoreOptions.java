package io.tycostream.triggers.store.postgres;

import io.tycostream.triggers.secret.SecretCipher;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the PostgreSQL store connects and how many connections it keeps. Every default is a named constant.
 * <p>
 * Durability is PostgreSQL's: a commit is on disk when it returns (with the server's default
 * {@code synchronous_commit = on}). Several nodes may share one database; the outbox claims with
 * {@code FOR UPDATE SKIP LOCKED}, so they never hand out the same event twice.
 */
public final class PostgresStoreOptions {

  public static final int DEFAULT_POOL_SIZE = 8;

  private PgConnectOptions connect = new PgConnectOptions();
  private int poolSize = DEFAULT_POOL_SIZE;
  private SecretCipher secretCipher;

  public PgConnectOptions getConnect() {
    return connect;
  }

  /** Host, port, database, user, password and TLS of the server; also used, as JDBC, by schema migrations. */
  public PostgresStoreOptions setConnect(PgConnectOptions connect) {
    this.connect = Objects.requireNonNull(connect, "connect");
    return this;
  }

  public SecretCipher getSecretCipher() {
    return secretCipher;
  }

  /**
   * Seals the webhook secrets at rest. Required: every node of a cluster must use the same master key (or list the
   * others' as previous keys), so there is no per-node default.
   */
  public PostgresStoreOptions setSecretCipher(SecretCipher secretCipher) {
    this.secretCipher = Objects.requireNonNull(secretCipher, "secretCipher");
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  /**
   * Connections of the pool shared by writes and queries. PostgreSQL takes concurrent writers, so claims, outcomes
   * and the evaluator's commits do not queue behind one connection as they do on SQLite.
   */
  public PostgresStoreOptions setPoolSize(int poolSize) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
    }
    this.poolSize = poolSize;
    return this;
  }

  /** JDBC connections to the same server and database, with the same credentials and TLS mode, for Flyway. */
  DataSource jdbcDataSource() {
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setServerNames(new String[] {connect.getHost()});
    source.setPortNumbers(new int[] {connect.getPort()});
    source.setDatabaseName(connect.getDatabase());
    source.setUser(connect.getUser());
    source.setPassword(connect.getPassword());
    SslMode mode = connect.getSslMode() == null ? SslMode.DISABLE : connect.getSslMode();
    source.setSslMode(mode.value);
    if (mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL) {
      // the JVM's trusted CAs, as the pool's TLS options use, instead of libpq's ~/.postgresql/root.crt
      source.setSslfactory("org.postgresql.ssl.DefaultJavaSSLFactory");
    }
    source.setApplicationName("tycostream-triggers migrations");
    return source;
  }
}
