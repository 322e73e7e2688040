package dev.savedtracks.account;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface AccountRepository extends JpaRepository<Account, String> {

	/** People still signed in whose last authorisation is older than {@code cutoff}. */
	long countByAuthorizedAtBeforeAndReauthRequiredFalse(Instant cutoff);

	/** The account, its row locked for update until the transaction ends. */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select a from Account a where a.spotifyId = ?1")
	Optional<Account> lockById(String spotifyId);

}
