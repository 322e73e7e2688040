package dev.savedtracks.account;

import org.springframework.data.jpa.repository.JpaRepository;

interface StoredTokenRepository extends JpaRepository<StoredToken, String> {

}
