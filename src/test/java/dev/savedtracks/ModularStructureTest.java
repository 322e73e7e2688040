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
 * feature, so that the shape stays as it is. Inside a module with layers
 * ({@code mcpauth}), each layer uses only the layers below it.
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

	@Test
	void mcpauthLayersUseOnlyTheLayersBelowThem() {
		JavaClasses mcpauth = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.savedtracks.mcpauth");

		layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("web")
			.definedBy("dev.savedtracks.mcpauth.web..")
			.layer("token")
			.definedBy("dev.savedtracks.mcpauth.token..")
			.layer("client")
			.definedBy("dev.savedtracks.mcpauth.client..")
			.layer("shared")
			.definedBy("dev.savedtracks.mcpauth")
			.whereLayer("web")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("token")
			.mayOnlyBeAccessedByLayers("web")
			.whereLayer("client")
			.mayOnlyBeAccessedByLayers("token", "web")
			.whereLayer("shared")
			.mayOnlyBeAccessedByLayers("client", "token", "web")
			.check(mcpauth);
		slices().matching("dev.savedtracks.mcpauth.(**)").should().beFreeOfCycles().check(mcpauth);
	}

}
