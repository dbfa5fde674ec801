package io.tycostream.triggers.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a benchmark ran on: cores, CPU model, OS and Java runtime, as one line or as JSON. */
final class MachineDescription {

  private MachineDescription() {
  }

  static String describe() {
    return String.format("%d cores (availableProcessors), CPU %s, %s %s, Java %s (%s %s)",
        Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("os.name"),
        System.getProperty("os.version"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
        System.getProperty("java.vm.version"));
  }

  /** The same facts as JSON, plus the memory the JVM may use and the load average now. */
  static JsonObject json() {
    Runtime runtime = Runtime.getRuntime();
    return new JsonObject()
        .put("cores", runtime.availableProcessors())
        .put("cpu", cpuModel())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("java", System.getProperty("java.version"))
        .put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
        .put("max_heap_mb", runtime.maxMemory() / (1024 * 1024))
        .put("jvm_flags", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(flag -> !flag.startsWith("-Dbench.")).toList())
        .put("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** The system's one-minute load average now (-1 if unknown). */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
      return "unknown";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
