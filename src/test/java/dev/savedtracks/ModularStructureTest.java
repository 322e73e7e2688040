package dev.savedtracks;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature packages are modules that do not lean on each other: no cycles, no use of
 * another module's internals, and {@code system} (the ground floor) depends on no
 * feature, so that the shape stays as it is.
 */
class ModularStructureTest {

	private static final ApplicationModules modules = ApplicationModules.of(SavedTracksApplication.class);

	@Test
	void modulesHaveNoCyclesAndUseOnlyEachOthersApis() {
		modules.verify();
	}

	@Test
	void systemAndCoordinationDependOnNoFeature() {
		for (String ground : new String[] { "system", "coordination" }) {
			ApplicationModule module = modules.getModuleByName(ground).orElseThrow();

			assertThat(module.getDirectDependencies(modules)
				.stream()
				.map(dependency -> dependency.getTargetModule().getName())).as(ground + " depends on").isEmpty();
		}
	}

}
