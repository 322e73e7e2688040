package dev.savedtracks.system;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a database that cannot be reached from any other failure, wherever it surfaces.
 */
public final class DatabaseFailures {

	private DatabaseFailures() {
	}

	/**
	 * Whether {@code error}, or a cause of it, says the database cannot be reached (or no
	 * connection is free).
	 */
	public static boolean isDatabaseDown(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
					|| t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
					|| t instanceof SQLRecoverableException || isConnectionState(t) || isLostTransaction(t)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A commit or rollback that failed on its JDBC connection: the connection broke
	 * mid-transaction, and the original I/O error was replaced by this one.
	 */
	private static boolean isLostTransaction(Throwable error) {
		return error instanceof org.hibernate.TransactionException || (error instanceof SQLException
				&& String.valueOf(error.getMessage()).contains("Connection is closed"));
	}

	/**
	 * SQLSTATE class 08 (connection exception) and 57P (operator intervention, e.g. the
	 * server shutting down).
	 */
	private static boolean isConnectionState(Throwable error) {
		String state = (error instanceof SQLException sql) ? sql.getSQLState() : null;
		return state != null && (state.startsWith("08") || state.startsWith("57P"));
	}

}
