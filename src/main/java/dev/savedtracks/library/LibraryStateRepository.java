package dev.savedtracks.library;

import org.springframework.data.jpa.repository.JpaRepository;

interface LibraryStateRepository extends JpaRepository<LibraryState, String> {

}
