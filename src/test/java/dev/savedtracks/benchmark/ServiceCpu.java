package dev.savedtracks.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.savedtracks.RunningService;
import dev.savedtracks.ServiceProcess;

/**
 * The CPU a service in a JVM of its own used between two moments, and how much of it its
 * JIT compilers took, from {@code /proc} (Linux): on two cores, compilation that the
 * measured requests set off competes with them, and a figure that misses its target
 * should say so. Nothing is measured for a service inside the benchmark's JVM, or where
 * {@code /proc} is missing.
 */
final class ServiceCpu {

	/** Linux reports CPU time in ticks of 10 ms (USER_HZ 100). */
	private static final long MS_PER_TICK = 10;

	private final Path tasks;

	private final long total;

	private final long compiling;

	private ServiceCpu(Path tasks, long total, long compiling) {
		this.tasks = tasks;
		this.total = total;
		this.compiling = compiling;
	}

	static ServiceCpu of(RunningService service) {
		Path tasks = (service instanceof ServiceProcess process)
				? Path.of("/proc", Long.toString(process.pid()), "task") : null;
		long[] now = read(tasks);
		return new ServiceCpu(tasks, now[0], now[1]);
	}

	/**
	 * "; the service used N ms of CPU, M of them compiling (JIT)" since this was taken,
	 * or nothing when it cannot be told.
	 */
	String since() {
		long[] now = read(this.tasks);
		if (now[0] <= 0) {
			return "";
		}
		return String.format(Locale.ROOT, "; the service used %d ms of CPU, %d ms of it compiling (JIT)",
				now[0] - this.total, now[1] - this.compiling);
	}

	/** The CPU of all threads and of the compiler threads, in ms; zeros when unknown. */
	private static long[] read(Path tasks) {
		long[] used = new long[2];
		if (tasks == null || !Files.isDirectory(tasks)) {
			return used;
		}
		List<Path> threads;
		try (Stream<Path> listed = Files.list(tasks)) {
			threads = listed.toList();
		}
		catch (IOException ex) {
			return used;
		}
		for (Path thread : threads) {
			try {
				String stat = Files.readString(thread.resolve("stat"));
				String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				// utime and stime, the 14th and 15th fields of the whole line.
				long ms = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MS_PER_TICK;
				used[0] += ms;
				if (name.contains("CompilerThre")) {
					used[1] += ms;
				}
			}
			catch (IOException | RuntimeException ex) {
				// A thread that ended meanwhile.
			}
		}
		return used;
	}

}
