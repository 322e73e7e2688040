package dev.savedtracks;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the saved-tracks service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SavedTracksApplication {

	public static void main(String[] args) {
		SpringApplication.run(SavedTracksApplication.class, args);
	}

}
