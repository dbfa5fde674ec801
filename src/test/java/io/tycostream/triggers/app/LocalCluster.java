package io.tycostream.triggers.app;

import io.tycostream.triggers.testkit.TestMasterKeys;
import io.tycostream.triggers.app.crash.AdminProbe;
import io.tycostream.triggers.app.crash.ServiceJvm;
import io.tycostream.triggers.store.postgres.EmbeddedPostgresServer;
import io.tycostream.triggers.testkit.TestApiKeys;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local three-node cluster on one machine, for trying clustering out: a real PostgreSQL (the embedded one the
 * tests use, from Maven, no install) and three service JVMs from the fat jar on admin ports 8081–8083 and Hazelcast
 * ports 5801–5803, all running the built-in {@code loadgen} source with the demo trigger, delivering to node 1's demo
 * receiver. Kill a node (its pid is printed) and watch another take its source over in
 * {@code GET /api/v1/cluster}. Stops by itself after {@code -Dlocal.cluster.minutes} (default 10), or on Enter.
 * <p>
 * {@code mvn -B -DskipTests package test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.tycostream.triggers.app.LocalCluster}. {@code ClusterFailoverIT} runs the same shape of cluster
 * (with the Materialize emulator instead of loadgen) as a test.
 */
public final class LocalCluster {

  private static final int NODES = 3;
  private static final int FIRST_ADMIN_PORT = Integer.getInteger("local.cluster.adminPort", 8081);
  private static final int FIRST_CLUSTER_PORT = Integer.getInteger("local.cluster.clusterPort", 5801);

  private LocalCluster() {
  }

  public static void main(String[] args) throws Exception {
    Duration runFor = Duration.ofMinutes(Long.getLong("local.cluster.minutes", 10));
    Path work = Path.of("target", "local-cluster").toAbsolutePath();
    Files.createDirectories(work);
    PgConnectOptions database = EmbeddedPostgresServer.newDatabase();
    System.out.printf("PostgreSQL: 127.0.0.1:%d, database %s, user %s%n", database.getPort(),
        database.getDatabase(), database.getUser());
    List<ServiceJvm> nodes = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.forEach(ServiceJvm::destroy)));
    for (int i = 0; i < NODES; i++) {
      Path dir = Files.createDirectories(work.resolve("node-" + (i + 1)));
      ServiceJvm node = new ServiceJvm(Path.of("target", "tycostream-triggers-fat.jar").toAbsolutePath(),
          writeConfig(dir, i, database), dir, dir);
      node.start();
      nodes.add(node);
      System.out.printf("node %d: pid %d, admin http://127.0.0.1:%d, log %s%n", i + 1, node.pid(),
          FIRST_ADMIN_PORT + i, dir.resolve("service-00.log"));
    }
    System.out.printf("curl -H 'authorization: Bearer %s' http://127.0.0.1:%d/api/v1/cluster shows who runs the "
        + "source; press Enter to stop (stops by itself in %d min)%n", TestApiKeys.ADMIN, FIRST_ADMIN_PORT,
        runFor.toMinutes());
    long deadline = System.nanoTime() + runFor.toNanos();
    AdminProbe first = new AdminProbe(FIRST_ADMIN_PORT);
    while (System.nanoTime() < deadline && System.in.available() == 0) {
      TimeUnit.SECONDS.sleep(10);
      first.cluster().ifPresent(view -> System.out.println("cluster: " + view.encode()));
    }
    nodes.forEach(ServiceJvm::destroy);
    System.exit(0);
  }

  private static Path writeConfig(Path dir, int index, PgConnectOptions database) throws IOException {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < NODES; i++) {
      members.append(i == 0 ? "" : ", ").append("\"127.0.0.1:").append(FIRST_CLUSTER_PORT + i).append('"');
    }
    String yaml = """
        admin: { host: 127.0.0.1, port: %d }
        data_dir: %s
        store:
          type: postgres
          postgres: { host: 127.0.0.1, port: %d, database: %s, user: %s, ssl_mode: disable }
        cluster:
          enabled: true
          name: local
          host: 127.0.0.1
          port: %d
          members: [%s]
        sources:
          - name: positions
            type: loadgen
            key_columns: [account]
        delivery: { require_https: false, allowed_targets: [127.0.0.1] }
        demo_receiver: true
        secrets:
          master_key: %s
        triggers:
          - name: demo_large_position
            source: positions
            webhook: { url: "http://127.0.0.1:%d/demo/webhook" }
            fire:  { net_position: { _gt: 5000 } }
            clear: { net_position: { _lte: 4000 } }
        """.formatted(FIRST_ADMIN_PORT + index, dir.resolve("data"), database.getPort(), database.getDatabase(),
        database.getUser(), FIRST_CLUSTER_PORT + index, members, TestMasterKeys.FIRST.toBase64(), FIRST_ADMIN_PORT);
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }
}
