package io.tycostream.triggers.app;

import io.tycostream.triggers.config.TriggersConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar tycostream-triggers-fat.jar --reencrypt-secrets [config.yaml]}: opens the configured store with the
 * configured master keys, re-encrypts every webhook secret that is not sealed under the current key (and drops
 * replaced secrets whose overlap ended), and exits. Afterwards the previous keys can be removed from the
 * configuration.
 * <p>
 * With SQLite the service must be stopped (the data directory is locked by the running process). With PostgreSQL it
 * may run while nodes are up, once every node's configuration has the new key as current or previous: rows are
 * rewritten only while they still hold what was read.
 */
final class ReencryptSecretsCommand {

  static final String FLAG = "--reencrypt-secrets";
  private static final Logger LOG = LoggerFactory.getLogger(ReencryptSecretsCommand.class);
  private static final long TIMEOUT_SECONDS = 300;

  private ReencryptSecretsCommand() {
  }

  /**
   * Runs the command on the calling (main) thread.
   *
   * @return how many triggers were rewritten
   * @throws Exception when the store cannot be opened (a wrong key included) or the rewrite fails
   */
  static int run(TriggersConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Future<Integer> done = StoreOpener.open(vertx, config)
          .compose(store -> store.resealSecrets().eventually(store::close));
      int rewritten = done.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      LOG.info("webhook secrets re-encrypted under the current master key [triggers rewritten: {}]", rewritten);
      return rewritten;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(Main.LIFECYCLE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }
}
