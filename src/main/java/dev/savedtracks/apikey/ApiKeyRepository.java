package dev.savedtracks.apikey;

import java.time.Instant;
import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface ApiKeyRepository extends JpaRepository<ApiKey, String> {

	List<ApiKey> findByAccountIdOrderByCreatedAtDesc(String accountId);

	long countByAccountId(String accountId);

	@Transactional
	long deleteByIdAndAccountId(String id, String accountId);

	@Transactional
	@Modifying
	@Query("update ApiKey k set k.lastUsedAt = :now where k.id = :id")
	void markUsed(String id, Instant now);

}
