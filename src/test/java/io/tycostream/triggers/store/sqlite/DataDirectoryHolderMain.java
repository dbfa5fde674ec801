package io.tycostream.triggers.store.sqlite;

import io.tycostream.triggers.store.Store;
import io.vertx.core.Vertx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A child process for {@link SqliteDataDirectoryLockTest}: opens a store on {@code args[0]} and prints
 * {@code opened}, or {@code refused: <message>} and exits. With {@code hold} as {@code args[1]} it keeps the store
 * open until a line or end of input arrives on stdin, then closes it and prints {@code closed}; otherwise it closes
 * at once.
 */
public final class DataDirectoryHolderMain {

  private DataDirectoryHolderMain() {
  }

  public static void main(String[] args) throws IOException {
    Vertx vertx = Vertx.vertx();
    try {
      Store store = SqliteStore.open(vertx, new SqliteStoreOptions().setDataDirectory(Path.of(args[0])),
        Clock.systemUTC()).await();
      System.out.println("opened");
      if (args.length > 1 && args[1].equals("hold")) {
        // blocks this child's main thread until the test says so (or dies)
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      }
      store.close().await();
      System.out.println("closed");
    } catch (RuntimeException refused) {
      System.out.println("refused: " + refused.getMessage());
    } finally {
      vertx.close().await();
    }
  }
}
