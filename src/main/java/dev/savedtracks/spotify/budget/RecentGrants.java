package dev.savedtracks.spotify.budget;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How many permits each account was granted on this replica within the last window: an
 * account that had the {@link Limiter#reserve() reserve's} worth already is no newcomer,
 * and leaves the reserve to those who are. (An account's sync runs on one replica at a
 * time, so this replica's count is the account's.) Not thread-safe:
 * {@link FairRequestScheduler} uses it under its lock.
 */
final class RecentGrants {

	private final long windowNanos;

	private final Map<String, ArrayDeque<Long>> granted = new HashMap<>();

	private int sinceForgetting;

	RecentGrants(long windowNanos) {
		this.windowNanos = windowNanos;
	}

	void granted(String account, long nanos) {
		this.granted.computeIfAbsent(account, key -> new ArrayDeque<>()).addLast(nanos);
		if (++this.sinceForgetting >= 1024) {
			this.sinceForgetting = 0;
			forgetIdle(nanos);
		}
	}

	/** Permits granted to {@code account} within the last window. */
	int count(String account, long nanos) {
		ArrayDeque<Long> times = this.granted.get(account);
		if (times == null) {
			return 0;
		}
		while (!times.isEmpty() && nanos - times.peekFirst() >= this.windowNanos) {
			times.pollFirst();
		}
		return times.size();
	}

	/** Forgets the accounts with no permit within the last window. */
	private void forgetIdle(long nanos) {
		for (Iterator<ArrayDeque<Long>> it = this.granted.values().iterator(); it.hasNext();) {
			ArrayDeque<Long> times = it.next();
			if (times.isEmpty() || nanos - times.peekLast() >= this.windowNanos) {
				it.remove();
			}
		}
	}

}
