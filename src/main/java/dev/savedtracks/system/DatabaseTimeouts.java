package dev.savedtracks.system;

import java.time.Duration;
import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * No statement and no lock wait may hold a connection (and the request or sync behind it)
 * without end: every connection of the pool starts by setting the database's own limits,
 * which cancel the statement on the server ({@code statement_timeout} and
 * {@code lock_timeout} on PostgreSQL, {@code QUERY_TIMEOUT} and {@code LOCK_TIMEOUT} on
 * H2). Set on the connection rather than per query so that JPA, plain JDBC, Spring
 * Session and the migrations are all bound alike.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTimeouts {

	/**
	 * The limits ({@code 0} turns one off):
	 *
	 * @param statementTimeout the longest one statement may run
	 * ({@code DATABASE_STATEMENT_TIMEOUT}; a migration longer than this needs it raised
	 * for that start)
	 * @param lockTimeout the longest a statement may wait for a lock another transaction
	 * holds ({@code DATABASE_LOCK_TIMEOUT})
	 */
	@ConfigurationProperties("database")
	record Settings(@DefaultValue("60s") Duration statementTimeout, @DefaultValue("10s") Duration lockTimeout) {

		Settings {
			if (statementTimeout.isNegative() || lockTimeout.isNegative()) {
				throw new InvalidConfiguration(
						"DATABASE_STATEMENT_TIMEOUT and DATABASE_LOCK_TIMEOUT must not be negative",
						"Use durations such as 60s and 10s, or 0 to turn one off.");
			}
		}

	}

	@Bean
	static BeanPostProcessor databaseTimeoutsOnEveryConnection(ObjectProvider<Settings> settings) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource pool && pool.getConnectionInitSql() == null) {
					pool.setConnectionInitSql(initSql(pool.getJdbcUrl(), settings.getObject()));
				}
				return bean;
			}

		};
	}

	/** What sets the limits on a new connection to the database at {@code url}. */
	static @Nullable String initSql(@Nullable String url, Settings settings) {
		String vendor = (url != null) ? url.toLowerCase(Locale.ROOT) : "";
		long statement = settings.statementTimeout().toMillis();
		long lock = settings.lockTimeout().toMillis();
		if (vendor.startsWith("jdbc:postgresql:")) {
			return "SET statement_timeout = " + statement + "; SET lock_timeout = " + lock;
		}
		if (vendor.startsWith("jdbc:h2:")) {
			// H2 has no "no lock timeout": 0 means fail at once, so off is a day.
			return "SET QUERY_TIMEOUT " + statement + "; SET LOCK_TIMEOUT "
					+ ((lock > 0) ? lock : Duration.ofDays(1).toMillis());
		}
		return null;
	}

}
