package dev.savedtracks;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature packages are modules that do not lean on each other: no cycles, no use of
 * another module's internals, and {@code system} (the ground floor) depends on no
 * feature. Inside {@code library}, the layers call only downwards (web over read, read
 * over answer and sync, those over store), with no cycle among them, and the package
 * other modules use (the door and its values) depends on none of them; so the shape stays
 * as it is.
 */
class ModularStructureTest {

	private static final ApplicationModules modules = ApplicationModules.of(SavedTracksApplication.class);

	private static final JavaClasses library = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.savedtracks.library");

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

	@Test
	void libraryLayersCallOnlyDownwards() {
		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("door")
			.definedBy("dev.savedtracks.library")
			.layer("web")
			.definedBy("dev.savedtracks.library.web..")
			.layer("read")
			.definedBy("dev.savedtracks.library.read..")
			.layer("answer")
			.definedBy("dev.savedtracks.library.answer..")
			.layer("sync")
			.definedBy("dev.savedtracks.library.sync..")
			.layer("store")
			.definedBy("dev.savedtracks.library.store..")
			.whereLayer("web")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("read")
			.mayOnlyBeAccessedByLayers("web")
			.whereLayer("answer")
			.mayOnlyBeAccessedByLayers("web", "read")
			.whereLayer("sync")
			.mayOnlyBeAccessedByLayers("read")
			.whereLayer("store")
			.mayOnlyBeAccessedByLayers("read", "answer", "sync")
			.whereLayer("door")
			.mayNotAccessAnyLayer()
			.check(library);
	}

	@Test
	void libraryLayersHaveNoCycles() {
		slices().matching("dev.savedtracks.library.(*)..").should().beFreeOfCycles().check(library);
	}

}
