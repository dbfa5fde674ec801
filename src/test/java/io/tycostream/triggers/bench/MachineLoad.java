package io.tycostream.triggers.bench;

import java.lang.management.ManagementFactory;

/**
 * How busy this JVM and the whole machine were during a phase, so a reader can tell a slow run from a crowded
 * machine: the JVM's CPU time over the wall time (in cores) and the one-minute load average at the end.
 *
 * @param jvmCores     CPU seconds this JVM used per wall second (2.0 = both cores of a 2-core machine)
 * @param loadAverage  the system's one-minute load average at the end of the phase (-1 if unknown)
 * @param processors   the cores available to this JVM
 */
record MachineLoad(double jvmCores, double loadAverage, int processors) {

  /** Starts measuring now. */
  static Meter start() {
    return new Meter(processCpuNanos(), System.nanoTime());
  }

  @Override
  public String toString() {
    return String.format("this JVM used %.2f of %d cores; machine load average %.2f at the end", jvmCores,
        processors, loadAverage);
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** A measurement in progress. */
  record Meter(long cpuStartNanos, long wallStartNanos) {

    MachineLoad stop() {
      long cpu = processCpuNanos();
      double cores = cpu < 0 || cpuStartNanos < 0 ? Double.NaN
          : (cpu - cpuStartNanos) / (double) (System.nanoTime() - wallStartNanos);
      return new MachineLoad(cores, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
    }
  }
}
